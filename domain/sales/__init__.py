"""Sales at the till: orders with their lines and customer, completion and the customer's
counters, voids and refunds, receipts."""
