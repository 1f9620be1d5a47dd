// After a refused form, focus goes to the first field that needs fixing
// (and, when a code was just sent, to the field it goes in). Nothing is
// focused on a fresh page: on a phone that would open the keyboard
// before the page has been read.
document.addEventListener("DOMContentLoaded", () => {
  const target = document.querySelector('[aria-invalid="true"], [data-focus]');
  if (target) target.focus();
});
