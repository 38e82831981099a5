// The "being prepared" page asks every few seconds whether the report is made, and fetches it
// when it is. The page itself never reloads, so nothing moves under a screen reader's cursor;
// without scripts its "Check now" link does the same by hand.
{
  const status = document.querySelector("[data-report-status]");
  if (status) {
    const address = status.dataset.reportStatus;
    const check = () => {
      fetch(`${address}?check=1`, { headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : { finished: true }))
        .then((state) => {
          if (state.finished) {
            status.textContent = gettext("Your report is ready: its download starts now.");
            window.location.assign(address);
          } else {
            setTimeout(check, 3000);
          }
        })
        .catch(() => setTimeout(check, 3000));
    };
    setTimeout(check, 3000);
  }
}
