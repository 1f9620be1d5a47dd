// Every flow in a real browser: register → confirm by mail → sign out → sign
// in with remember-me → change password → forgot/reset by mail →
// passwordless link → admin page refused, then allowed → sign out.
// Run by `.ci/run` (or: BIN=target/debug/<name> node --test e2e/).
// Screenshots of each page go to e2e/screenshots/.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { assertAccessible, bin, launchChromium, mailsIn, root, shots, startApp, text } from "./support.mjs";

const email = "ada@example.com";
const passwords = ["first passphrase", "second passphrase", "third passphrase"];

let server, browser, base, env, mailDir;

before(async () => {
  ({ server, base, env, mailDir } = await startApp(
    "flows",
    "confirmable=true,passwordless=true,password_complexity=false,password_check_breached=false,change_email=false,username_enable=false,username_recovery=false,change_username=false,unified_signin=false",
    { host: "127.0.0.1" },
  ));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

/** The newest mailed link with this path, read from the .eml files. */
function lastLink(path) {
  for (const text of mailsIn(mailDir).reverse()) {
    const match = text.match(new RegExp(`${base}${path}[A-Za-z0-9_-]+`));
    if (match) return match[0];
  }
  throw new Error(`no ${path} link in ${mailDir}`);
}

let shot = 0;
async function snap(page, name) {
  shot += 1;
  await page.screenshot({ path: join(shots, `${String(shot).padStart(2, "0")}-${name}.png`), fullPage: true });
  await assertAccessible(page, name);
}

test("a person goes through every flow in a browser", async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, bypassCSP: true });
  const page = await context.newPage();

  // Register; confirmation is required.
  await page.goto(`${base}/register`);
  await snap(page, "register");
  await page.fill("#email", email);
  await page.fill("#password", "short");
  await page.click("button[type=submit] >> text=Create account");
  assert.match(await text(page), /Password must be at least 8 characters/);
  assert.match(await text(page), /Password not provided/);
  await snap(page, "register-errors");
  await page.fill("#password", passwords[0]);
  await page.fill("#password_confirm", passwords[0]);
  await page.click("button[type=submit] >> text=Create account");
  assert.match(await text(page), new RegExp(`If ${email} still needs confirming, we sent it a confirmation link`));
  await snap(page, "registered");

  // Confirm by the mailed link: signed in.
  await page.goto(lastLink("/confirm/"));
  assert.match(await text(page), /Thank you. Your email has been confirmed./);
  assert.match(await text(page), new RegExp(`Hello, ${email}`));
  await snap(page, "confirmed");

  // Sign out from the navigation.
  await page.click("text=Sign out");
  assert.match(await text(page), /Welcome/);

  // Sign in with a password and "remember me" (passwordless is on: one
  // form, two actions, errors next to the one that failed).
  await page.goto(`${base}/login`);
  await snap(page, "login");
  await page.fill("#email", email);
  await page.fill("#password", "not my password");
  await page.click("button:text-is('Sign in')");
  assert.match(await text(page), /Authentication failed/);
  assert.equal(await page.inputValue("#email"), email, "what was typed stays");
  await snap(page, "login-failed");
  await page.fill("#password", passwords[0]);
  await page.check("#remember");
  await page.click("button:text-is('Sign in')");
  assert.match(await text(page), new RegExp(`Hello, ${email}`));
  const cookies = await context.cookies();
  assert.ok(cookies.find((c) => c.name === "remember_token" && c.httpOnly));

  // Remember-me: a new browser with only that cookie is signed in.
  const remembered = await browser.newContext();
  await remembered.addCookies(cookies.filter((c) => c.name === "remember_token"));
  const again = await remembered.newPage();
  await again.goto(`${base}/`);
  assert.match(await text(again), new RegExp(`Hello, ${email}`));
  await remembered.close();

  // Change the password.
  await page.goto(`${base}/account`);
  await snap(page, "account");
  await page.click("text=Change password");
  await page.fill("#password", passwords[0]);
  await page.fill("#new_password", passwords[1]);
  await page.fill("#new_password_confirm", passwords[1]);
  await page.click("button[type=submit] >> text=Change password");
  assert.match(await text(page), /You successfully changed your password./);
  await snap(page, "password-changed");

  // Forgot the password: reset by the mailed link.
  await page.click("text=Sign out");
  await page.goto(`${base}/reset`);
  await snap(page, "forgot-password");
  await page.fill("#email", email);
  await page.click("text=Send the link");
  assert.match(await text(page), /we sent it a link to choose a new password/);
  await page.goto(lastLink("/reset/"));
  await snap(page, "reset-password");
  await page.fill("#password", passwords[2]);
  await page.fill("#password_confirm", passwords[2]);
  await page.click("text=Set the new password");
  assert.match(await text(page), /You successfully reset your password/);
  assert.match(await text(page), new RegExp(`Hello, ${email}`));

  // Passwordless: a sign-in link by mail.
  await page.click("text=Sign out");
  await page.goto(`${base}/login`);
  await page.fill("#email", email);
  await page.click("text=Email me a sign-in link");
  assert.match(await text(page), /we sent it a sign-in link/);
  await page.goto(lastLink("/login/"));
  assert.match(await text(page), /You are now signed in./);
  await snap(page, "signed-in-by-link");

  // The admin page: refused, then allowed once the role is granted.
  await page.goto(`${base}/admin`);
  assert.match(await text(page), /You do not have permission to view this resource./);
  assert.equal(await page.locator("nav >> text=Admin").count(), 0);
  await snap(page, "admin-refused");
  execFileSync(bin, ["roles", "create", "admin"], { env, cwd: root });
  execFileSync(bin, ["roles", "add", email, "admin"], { env, cwd: root });
  // The CLI is another process: the server hears of the grant through the
  // database within a second (README → Performance, the auth epoch).
  const granted = Date.now();
  await page.goto(`${base}/admin`);
  while (!/Administration/.test(await text(page)) && Date.now() - granted < 1000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    await page.goto(`${base}/admin`);
  }
  assert.match(await text(page), /Administration/);
  assert.equal(await page.locator("nav >> text=Admin").count(), 1);
  await snap(page, "admin");

  // Where am I signed in; then sign out.
  await page.goto(`${base}/sessions`);
  assert.match(await text(page), /this browser/);
  await snap(page, "sessions");
  await page.click("text=Sign out");
  assert.match(await text(page), /Welcome/);
  await context.close();
});

test("the pages work at phone width", async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, bypassCSP: true });
  const page = await context.newPage();
  for (const path of ["/login", "/register", "/reset"]) {
    await page.goto(`${base}${path}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px`);
    await snap(page, `phone${path.replace("/", "-")}`);
  }
  // Keyboard users see where they are.
  await page.goto(`${base}/login`);
  await page.keyboard.press("Tab");
  await snap(page, "phone-focus");
  await context.close();
});
