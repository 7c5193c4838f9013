// The till by keyboard. The server marks where the cashier goes on: the swapped part (#sale,
// #sale-customer after an attach, #items after a refused or removed item) names it in
// data-focus-on, and the field anywhere on the sale carries the same data-focus. An added
// item is appended to #lines: its form is cleared for the next one.
// F2 or "/" jumps to the customer search, F4 opens quick create. In the search: ↑/↓ choose
// a result, Enter attaches it, Esc clears.

function focusWanted(host) {
  if (!host || !host.dataset.focusOn) return;
  const sale = document.getElementById("sale") || host;
  const target = sale.querySelector(`[data-focus="${host.dataset.focusOn}"]`);
  if (target) {
    const details = target.closest("details");
    if (details) details.open = true;
    target.focus();
  }
}

document.addEventListener("DOMContentLoaded", () => focusWanted(document.getElementById("sale")));
document.addEventListener("htmx:afterSettle", (event) => {
  const id = event.detail.target && event.detail.target.id;
  if (id === "lines") {
    document.getElementById("line-form").reset(); // a clean form: its defaults are blank, quantity 1
    focusWanted(document.getElementById("items"));
  } else if (id === "sale" || id === "sale-customer" || id === "items") {
    focusWanted(document.getElementById(id));
  }
});

function matches() {
  return Array.from(document.querySelectorAll("#search-results .match"));
}

function choose(index) {
  const items = matches();
  if (!items.length) return;
  const next = (index + items.length) % items.length;
  items.forEach((item, i) => {
    if (i === next) item.setAttribute("aria-current", "true");
    else item.removeAttribute("aria-current");
  });
  items[next].scrollIntoView({ block: "nearest" });
  const region = document.getElementById("live-region");
  const name = items[next].querySelector(".match-name");
  if (region && name) region.textContent = name.textContent.trim();
}

function chosen() {
  const items = matches();
  return items.findIndex((item) => item.hasAttribute("aria-current"));
}

document.addEventListener("keydown", (event) => {
  const search = document.getElementById("search-q");
  if (event.key === "F2" || (event.key === "/" && !event.target.closest("input, textarea, select"))) {
    if (search) {
      event.preventDefault();
      search.focus();
      search.select();
    }
    return;
  }
  if (event.key === "F4") {
    const quick = document.querySelector('[data-focus="quick"]');
    if (quick) {
      event.preventDefault();
      quick.closest("details").open = true;
      quick.focus();
    }
    return;
  }
  if (event.target !== search) return;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    choose(chosen() + (event.key === "ArrowDown" ? 1 : -1));
  } else if (event.key === "Enter") {
    event.preventDefault(); // never a full-page search from the till
    const items = matches();
    const item = items[Math.max(chosen(), 0)];
    const attach = item && item.querySelector(".match-attach");
    if (attach) attach.requestSubmit();
  } else if (event.key === "Escape") {
    event.preventDefault();
    search.value = "";
    const results = document.getElementById("search-results");
    if (results) results.replaceChildren();
  }
});
