// Words and pages (issue #15) in a real browser, desktop and phone: the
// pages in French from the browser's language, "check your inbox" after
// registering, the account hub, the sessions page as cards on a phone with
// a session and its remember-me token as one device, and a form that
// expired coming back with what was typed. Screenshots go to
// e2e/screenshots/ (lang-*), each page checked by axe-core.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertAccessible, lastMailIn, launchChromium, shots, startApp, text } from "./support.mjs";

const password = "amber kettle orchard 77";

let server, browser, base, mailDir;

before(async () => {
  ({ server, base, mailDir } = await startApp(
    "lang",
    'confirmable=true,passwordless=false,two_factor=true,totp_issuer="Example",recovery_codes=true,change_email=true,site_name="Exemple"',
  ));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

const lastMailTo = (to) => lastMailIn(mailDir, to);

let shot = 0;
async function snap(page, name) {
  shot += 1;
  await page.screenshot({ path: join(shots, `lang-${String(shot).padStart(2, "0")}-${name}.png`), fullPage: true });
  await assertAccessible(page, name);
}

async function noSidewaysScroll(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what} scrolls sideways by ${overflow}px`);
}

/** Registers `email`, follows the confirmation link, and is signed in. */
async function registerAndConfirm(page, email) {
  await page.goto(`${base}/register`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.fill("#password_confirm", password);
  await page.click("button[type=submit]");
  const link = lastMailTo(email).match(/https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]+/)[0];
  await page.goto(link);
}

test("a French reader gets French pages, mails and an account hub", async () => {
  const context = await browser.newContext({ locale: "fr-FR", bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  assert.equal(await page.getAttribute("html", "lang"), "fr");
  assert.equal(await page.title(), "Connexion · Exemple");
  assert.match(await text(page), /Mot de passe oublié \?/);
  await snap(page, "fr-login");

  // Registering: the home page says to check the inbox, the mail is French.
  const email = "marie.curie.tres.longue.adresse.pour.voir@laboratoire-de-physique.example.org";
  await page.goto(`${base}/register`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.fill("#password_confirm", password);
  await page.click("button[type=submit]");
  assert.match(await text(page), /Consultez votre boîte de réception/);
  await snap(page, "fr-check-inbox");
  await page.click("text=Renvoyer le lien");
  assert.match(await text(page), /nous lui avons envoyé un lien de confirmation/);
  const mail = lastMailTo(email);
  assert.match(mail, /Veuillez confirmer votre adresse e-mail/);
  assert.match(mail, /valable 5 jours/);

  const link = mail.match(/https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]+/)[0];
  await page.goto(link);
  await page.goto(`${base}/account`);
  const hub = await text(page);
  assert.match(hub, /Double authentification/);
  assert.match(hub, /Désactivée/);
  await snap(page, "fr-account-hub");
  await context.close();
});

test("the hub and the sessions page at phone width, one row per device", async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, bypassCSP: true });
  const page = await context.newPage();
  const email = "ada.lovelace.with.a.long.address@analytical-engine.example.org";
  await registerAndConfirm(page, email);
  await page.click("text=Sign out");
  await page.goto(`${base}/login`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.check("#remember");
  await page.click("button[type=submit] >> text=Sign in");
  await page.goto(`${base}/account`);
  await noSidewaysScroll(page, "/account");
  assert.match(await text(page), /Two-factor sign-in\s*Off/);
  await snap(page, "phone-account-hub");

  await page.goto(`${base}/sessions`);
  await noSidewaysScroll(page, "/sessions");
  const rows = await page.locator("tbody tr").count();
  const current = await page.locator("tbody tr", { hasText: "(this browser)" }).count();
  assert.equal(current, 1, "this browser's session and remember-me token are one row");
  assert.match(await text(page), /Session, remembered/);
  assert.ok(rows >= 1);
  // Each row is a card: the label sits beside its value.
  const display = await page.locator("tbody tr").first().evaluate((tr) => getComputedStyle(tr).display);
  assert.equal(display, "block");
  await snap(page, "phone-sessions");
  await context.close();
});

test("a form that expired comes back with what was typed", async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  // The session (and so its CSRF secret) is gone while the page sat open.
  await context.clearCookies();
  await page.fill("#email", "someone@example.org");
  await page.fill("#password", "typed but never kept");
  await page.click("button[type=submit] >> text=Sign in");
  assert.match(await text(page), /This form expired. Please try again./);
  assert.equal(await page.inputValue("#email"), "someone@example.org");
  assert.equal(await page.inputValue("#password"), "");
  await snap(page, "stale-form");

  // Error pages have French titles too.
  const french = await browser.newContext({ locale: "fr-FR", bypassCSP: true });
  const lost = await french.newPage();
  const reply = await lost.goto(`${base}/no-such-page`);
  assert.equal(reply.status(), 404);
  assert.equal(await lost.title(), "Page introuvable · Exemple");
  await snap(lost, "fr-404");
  await french.close();
  await context.close();
});
