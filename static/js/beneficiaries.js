// The people you worked with: beside each characteristic, what its boxes add up to so far
// against the people reached, and its reason box shown only once "We did not collect this" is
// ticked. A help while typing: the server checks the figures whatever this says.
(() => {
  const form = document.querySelector("[data-beneficiary-form]");
  if (!form) {
    return;
  }
  const reached = form.querySelector("[data-people-reached]");

  const whole = (text) => {
    const cleaned = text.replace(/[,\s]/g, "");
    return /^\d+$/.test(cleaned) ? Number(cleaned) : null;
  };
  // Figures grouped as the page's language writes them (the catalogue: Django's
  // JavaScriptCatalog, loaded before this script).
  const figure = (n) => n.toLocaleString(document.documentElement.lang || "en-GB");
  const people = (n) => interpolate(ngettext("%s person", "%s people", n), [figure(n)]);

  const update = (fieldset) => {
    const output = fieldset.querySelector("[data-running-sum]");
    const boxes = [...fieldset.querySelectorAll("[data-counts] input")];
    const typed = boxes.filter((box) => box.value.trim() !== "");
    const notCollected = fieldset.querySelector("[data-not-collected]");
    if (!typed.length || (notCollected && notCollected.checked)) {
      output.textContent = "";
      output.classList.remove("is-off");
      return;
    }
    const values = typed.map((box) => whole(box.value));
    if (values.includes(null)) {
      output.textContent = gettext("Some boxes are not whole numbers yet.");
      output.classList.add("is-off");
      return;
    }
    const sum = values.reduce((a, b) => a + b, 0);
    const total = reached ? whole(reached.value) : null;
    // Each sentence whole, its counts in words of their own ("33 people").
    const counts = { sum: people(sum), total: total === null ? "" : people(total) };
    let text;
    let off = false;
    if (total !== null && sum === total) {
      text = gettext("These add up to %(sum)s, the people you worked with.");
    } else if (total !== null) {
      counts.gap = figure(Math.abs(total - sum));
      text =
        sum < total
          ? gettext("These add up to %(sum)s: %(gap)s fewer than the %(total)s you worked with.")
          : gettext("These add up to %(sum)s: %(gap)s more than the %(total)s you worked with.");
      off = true;
    } else {
      text = gettext("These add up to %(sum)s.");
    }
    text = interpolate(text, counts, true);
    output.textContent = text;
    output.classList.toggle("is-off", off);
  };

  const reveal = (fieldset) => {
    const tick = fieldset.querySelector("[data-not-collected]");
    const reason = fieldset.querySelector("[data-reason]");
    const counts = fieldset.querySelector("[data-counts]");
    if (!tick || !reason || !counts) {
      return;
    }
    const text = reason.querySelector("textarea");
    const hasError = reason.querySelector(".invalid-feedback") !== null;
    reason.hidden = !tick.checked && !(text && text.value.trim()) && !hasError;
    // Boxes with an error stay in sight: the error summary links to them.
    counts.hidden = tick.checked && counts.querySelector(".invalid-feedback") === null;
  };

  const fieldsets = [...form.querySelectorAll("[data-characteristic]")];
  fieldsets.forEach((fieldset) => {
    reveal(fieldset);
    update(fieldset);
    fieldset.addEventListener("input", () => update(fieldset));
    fieldset.addEventListener("change", () => {
      reveal(fieldset);
      update(fieldset);
    });
  });
  if (reached) {
    reached.addEventListener("input", () => fieldsets.forEach(update));
  }
})();
