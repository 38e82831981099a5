// Page layout on narrow screens. Everything here is an improvement on pages that work without it.
{
  // A button that shows and hides the part of the header it controls: Escape hides it again and
  // returns to the button. `outside` also hides it on a click or focus elsewhere.
  const disclose = (toggle, { fold, outside }) => {
    const panel = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!panel) {
      return;
    }
    const setOpen = (open) => {
      toggle.setAttribute("aria-expanded", String(open));
      panel.classList.toggle("is-open", open);
    };
    const isOpen = () => toggle.getAttribute("aria-expanded") === "true";
    if (fold) {
      panel.classList.add("is-folded");
    }
    toggle.hidden = false;
    toggle.addEventListener("click", () => setOpen(!isOpen()));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && isOpen() && toggle.offsetParent !== null) {
        setOpen(false);
        toggle.focus();
      }
    });
    if (outside) {
      const within = (target) => toggle.contains(target) || panel.contains(target);
      document.addEventListener("click", (event) => {
        if (isOpen() && !within(event.target)) {
          setOpen(false);
        }
      });
      document.addEventListener("focusin", (event) => {
        if (isOpen() && !within(event.target)) {
          setOpen(false);
        }
      });
    }
  };
  // The header's menu folds behind its Menu button below the width where its links fit in a row.
  disclose(document.querySelector(".site-nav-toggle"), { fold: true, outside: false });
  // From that width, the account folds behind the person's name, so that the header keeps to
  // one row (below it, the account shows inside the menu and its button is not shown).
  disclose(document.querySelector(".site-account-toggle"), { fold: false, outside: true });

  // A table's region shows its hint and takes a place in the tab order (so that the keyboard can
  // scroll it) only while the table is wider than the region.
  const boxes = document.querySelectorAll("[data-table-scroll]");
  if (boxes.length && "ResizeObserver" in window) {
    const observer = new ResizeObserver((entries) => {
      for (const entry of entries) {
        const region = entry.target;
        const overflowing = region.scrollWidth > region.clientWidth;
        region.parentElement.dataset.overflowing = String(overflowing);
        if (overflowing) {
          region.setAttribute("tabindex", "0");
        } else {
          region.removeAttribute("tabindex");
        }
      }
    });
    for (const box of boxes) {
      observer.observe(box.querySelector(".table-scroll-region"));
    }
  }

  // A stacked table is laid out as cards on a phone; its parts say they are still a table's.
  const roles = [
    ["", "table"],
    [":scope > thead, :scope > tbody, :scope > tfoot", "rowgroup"],
    [":scope > * > tr", "row"],
    [":scope > * > tr > td", "cell"],
    [":scope > thead > tr > th", "columnheader"],
    [":scope > tbody > tr > th", "rowheader"],
  ];
  for (const table of document.querySelectorAll("table.table-stack")) {
    for (const [selector, role] of roles) {
      const parts = selector ? table.querySelectorAll(selector) : [table];
      for (const part of parts) part.setAttribute("role", role);
    }
  }
}
