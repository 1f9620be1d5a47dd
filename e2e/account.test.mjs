// Managing the account in a real browser, desktop and phone: a weak
// password refused on the page, a username at registration, change email
// (both mails read from the file transport), sign in by username, turn on
// codes by mail and sign in with one (unified sign-in). Run by `.ci/run`
// with the other browser tests. Screenshots go to e2e/screenshots/ (acct-*).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertAccessible, lastMailIn, launchChromium, shots, startApp, text } from "./support.mjs";

const password = "violet tram skylight 42";

let server, browser, base, mailDir;

before(async () => {
  ({ server, base, mailDir } = await startApp(
    "acct",
    "confirmable=false,passwordless=false,two_factor=false,change_email=true,username_enable=true,username_recovery=true,change_username=true,unified_signin=true,password_complexity=\"zxcvbn\",password_check_breached=false",
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
  await page.screenshot({ path: join(shots, `acct-${String(shot).padStart(2, "0")}-${name}.png`), fullPage: true });
  await assertAccessible(page, name);
}

test("a person manages the account in a browser", async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, bypassCSP: true });
  const page = await context.newPage();
  const first = "grace@example.com";
  const second = "grace.hopper@example.org";

  // A weak password is refused on the page, with zxcvbn's advice.
  await page.goto(`${base}/register`);
  await page.fill("#email", first);
  await page.fill("#username", "Grace1906");
  await page.fill("#password", "password123");
  await page.fill("#password_confirm", "password123");
  await page.click("button[type=submit] >> text=Create account");
  assert.equal(await page.locator("#password").getAttribute("aria-invalid"), "true");
  assert.match(await page.locator("#password-error").innerText(), /\S/);
  assert.equal(await page.inputValue("#username"), "Grace1906", "what was typed stays");
  assert.equal(await page.evaluate(() => document.activeElement.id), "password", "focus on the field to fix");
  await snap(page, "weak-password");

  // A strong one registers, with the username.
  await page.fill("#password", password);
  await page.fill("#password_confirm", password);
  await page.click("button[type=submit] >> text=Create account");
  await page.goto(`${base}/account`);
  assert.match(await text(page), /Grace1906/);
  await snap(page, "account");

  // Change email: the link goes to the new address; the old one is told.
  await page.click("#hub-email a");
  await page.fill("#email", second);
  await page.click("text=Send the confirmation link");
  assert.match(await text(page), new RegExp(`We sent a link to ${second}`));
  await snap(page, "change-email-sent");
  const link = lastMailTo(second).match(new RegExp(`${base}/change-email/[A-Za-z0-9_-]+`))[0];
  await page.goto(link);
  assert.match(await text(page), /Change of email address confirmed/);
  assert.match(lastMailTo(first), /has been changed/);
  await page.goto(`${base}/account`);
  assert.match(await text(page), new RegExp(second.replace(/\./g, "\\.")));

  // Sign out, and in again by username (any case).
  await page.click("text=Sign out");
  await page.goto(`${base}/login`);
  await page.fill("#email", "grace1906");
  await page.fill("#password", password);
  await snap(page, "login-by-username");
  await page.click("button[type=submit] >> text=Sign in");
  assert.match(await text(page), new RegExp(`Hello, ${second.replace(/\./g, "\\.")}`));

  // Turn on codes by mail (the account hub lists it).
  await page.goto(`${base}/account`);
  await page.click("#hub-sign-in-methods a");
  await snap(page, "us-setup");
  await page.click("text=Turn on codes by mail");
  const setupCode = lastMailTo(second).match(/Your code: (\d{6})/)[1];
  await page.fill("#passcode", setupCode);
  await snap(page, "us-setup-code");
  await page.click("text=Turn it on");
  assert.match(await text(page), /Unified sign in setup successful/);
  assert.match(await text(page), /Turn off codes by mail/);

  // Sign out, then in with a mailed code.
  await page.click("text=Sign out");
  await page.goto(`${base}/us-signin`);
  await page.fill("#identity", "Grace1906");
  await page.click("text=Email me a code");
  assert.match(await text(page), /you were sent a code/);
  assert.equal(await page.inputValue("#identity"), "Grace1906");
  await snap(page, "us-signin-sent");
  const code = lastMailTo(second).match(/Your code: (\d{6})/)[1];
  await page.fill("#passcode", code);
  await page.click("button[type=submit] >> text=Sign in");
  assert.match(await text(page), new RegExp(`Hello, ${second.replace(/\./g, "\\.")}`));
  await snap(page, "us-signed-in");

  // The code worked once.
  await page.click("text=Sign out");
  await page.goto(`${base}/us-signin`);
  await page.fill("#identity", "Grace1906");
  await page.fill("#passcode", code);
  await page.click("button[type=submit] >> text=Sign in");
  assert.match(await text(page), /Authentication failed/);
  await context.close();
});

test("the account pages work at phone width", async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, bypassCSP: true });
  const page = await context.newPage();
  for (const path of ["/us-signin", "/recover-username", "/login", "/register"]) {
    await page.goto(`${base}${path}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px`);
    await snap(page, `phone${path.replace("/", "-")}`);
  }
  // A forgotten username comes by mail.
  await page.goto(`${base}/recover-username`);
  await page.fill("#email", "grace.hopper@example.org");
  await page.click("text=Send my username");
  assert.match(await text(page), /If registered, your username will be sent to your email./);
  assert.match(lastMailTo("grace.hopper@example.org"), /Grace1906/);
  await context.close();
});
