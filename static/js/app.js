// Regulars' own behaviour, kept small: progressive enhancement only.
document.documentElement.classList.add("js");

document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select) select.form.requestSubmit();
});

// A refused htmx request (403, 404, 409, 5xx) is not swapped: announce its message instead.
document.addEventListener("htmx:responseError", (event) => {
  const region = document.getElementById("live-region");
  const page = new DOMParser().parseFromString(event.detail.xhr.responseText, "text/html");
  const message = page.querySelector("#error-message");
  if (region) region.textContent = message ? message.textContent.trim().replace(/\s+/g, " ") : event.detail.xhr.statusText;
});

// Close an open <details> menu when clicking elsewhere or pressing Escape.
document.addEventListener("click", (event) => {
  document.querySelectorAll("details.menu[open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  });
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  document.querySelectorAll("details.menu[open]").forEach((menu) => {
    menu.removeAttribute("open");
    menu.querySelector("summary").focus();
  });
});

// Print buttons (receipts): no inline handlers under the Content-Security-Policy.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
