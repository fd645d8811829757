// Every page: tell GOV.UK Frontend's styles that its JavaScript runs, and
// start its components. An external module, because the pages' Content
// Security Policy allows no inline script.
import { initAll } from '/assets/govuk-frontend.min.js';

document.body.classList.add('govuk-frontend-supported');
initAll();
