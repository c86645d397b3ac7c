// Keeps what is typed in a form that is easy to lose on a patchy connection (the census
// return, filled in on site). Progressive enhancement: the page works without it.
//
//   <form data-draft-key="census-return-12">  values are kept in localStorage as they are
//                                             typed and put back when the page is opened
//                                             again with values that were never saved
//   <div data-draft-clear="census-return-12"> on the page shown after a successful save:
//                                             the kept values are no longer needed
//   <form data-draft-clear-all>               the sign-out button (base.html): nothing
//                                             typed stays behind in a shared browser
//
// Loaded on every page by base.html; it does nothing where none of these are.
// Kept values expire after 7 days, so personal data does not linger in a shared browser.
const PREFIX = "draft:";
const MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function fieldsOf(form) {
  return Array.from(form.elements).filter(
    (el) =>
      el.name &&
      el.name !== "csrfmiddlewaretoken" &&
      !["submit", "button", "file", "hidden", "password"].includes(el.type),
  );
}

function read(form) {
  const values = {};
  for (const el of fieldsOf(form)) {
    if (el.type === "radio" || el.type === "checkbox") {
      if (!(el.name in values)) values[el.name] = [];
      if (el.checked) values[el.name].push(el.value);
    } else {
      values[el.name] = el.value;
    }
  }
  return values;
}

function write(form, values) {
  let changed = false;
  for (const el of fieldsOf(form)) {
    if (!(el.name in values)) continue;
    const wanted = values[el.name];
    if (el.type === "radio" || el.type === "checkbox") {
      const checked = Array.isArray(wanted) && wanted.includes(el.value);
      if (el.checked !== checked) {
        el.checked = checked;
        changed = true;
      }
    } else if (el.value !== wanted) {
      el.value = wanted;
      changed = true;
    }
  }
  return changed;
}

function restoredBanner(form) {
  const banner = document.createElement("div");
  banner.className = "govuk-notification-banner";
  banner.setAttribute("role", "region");
  banner.setAttribute("aria-labelledby", "draft-restored-title");
  banner.dataset.draftRestored = "true";
  banner.innerHTML =
    '<div class="govuk-notification-banner__header">' +
    '<h2 class="govuk-notification-banner__title" id="draft-restored-title">Important</h2>' +
    "</div>" +
    '<div class="govuk-notification-banner__content">' +
    '<p class="govuk-notification-banner__heading">What you typed earlier has been put back.</p>' +
    '<p class="govuk-body">It was not saved before the page closed. Check it, then save.</p>' +
    "</div>";
  form.parentNode.insertBefore(banner, form);
}

function start() {
  const store = storage();
  if (!store) return;
  for (const form of document.querySelectorAll("form[data-draft-clear-all]")) {
    form.addEventListener("submit", () => {
      for (const key of Object.keys(store)) {
        if (key.startsWith(PREFIX)) store.removeItem(key);
      }
    });
  }
  for (const el of document.querySelectorAll("[data-draft-clear]")) {
    store.removeItem(PREFIX + el.dataset.draftClear);
  }
  for (const form of document.querySelectorAll("form[data-draft-key]")) {
    const key = PREFIX + form.dataset.draftKey;
    const kept = JSON.parse(store.getItem(key) || "null");
    if (kept && Date.now() - kept.at < MAX_AGE_MS) {
      if (write(form, kept.values)) restoredBanner(form);
    } else if (kept) {
      store.removeItem(key);
    }
    const keep = () => store.setItem(key, JSON.stringify({ at: Date.now(), values: read(form) }));
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    form.addEventListener("submit", keep);
  }
}

start();
