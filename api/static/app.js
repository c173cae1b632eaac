// Progressive touches only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-select-all]").forEach((box) => {
    const name = box.getAttribute("data-select-all");
    box.addEventListener("change", () => {
      box.closest("form").querySelectorAll(`input[name="${name}"]`).forEach((b) => { b.checked = box.checked; });
    });
  });
  const refresh = document.querySelector("[data-refresh]");
  if (refresh) {
    setTimeout(() => window.location.reload(), 1000 * Number(refresh.getAttribute("data-refresh")));
  }
  document.querySelectorAll("form").forEach((form) => {
    form.addEventListener("submit", () => {
      form.querySelectorAll("button[type=submit]").forEach((b) => { setTimeout(() => { b.disabled = true; }, 0); });
    });
  });
});
