// Starts GOV.UK Frontend's components. Loaded as <script type="module">, so it only runs
// in browsers GOV.UK Frontend supports; it replaces the inline script in GOV.UK's page
// template, which the Content-Security-Policy forbids.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();
