// Accounts without admin-chosen passwords: admins add people by e-mail and role and hand out a
// one-time link; the person chooses a password there and is logged in. Also: the first admin from
// ADMIN_EMAIL / ADMIN_PASSWORD when only non-admin users exist (the demo's reps).
import { createDb, createUser, type Database, migrate, NO_PASSWORD_HASH } from "@leadtrail/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, skipBrowserTests } from "../support/browser.ts";
import { type RunningProcess, startDashboard, tempDatabase } from "../support/processes.ts";
import { acceptLink, linkIn, login, sendAction } from "./fixture.ts";

const ADMIN = { email: "owner@acme.test", password: "owner-password-1" };

describe("invitations", () => {
  const database = tempDatabase();
  let db: Database;
  let dashboard: RunningProcess;
  let admin: string;

  beforeAll(async () => {
    db = await createDb({ url: database.url });
    await migrate(db.$client);
    dashboard = await startDashboard(database.url, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    admin = await login(dashboard.url, ADMIN.email, ADMIN.password);
  });

  afterAll(async () => {
    await dashboard?.stop();
    db?.$client.close();
    database.remove();
  });

  const invite = async (email: string, role = "sales") => {
    const answer = await sendAction(dashboard.url, "/settings?/addUser", admin, { email, role });
    const path = await linkIn(answer);
    if (!path) throw new Error(`no link for ${email}`);
    return path;
  };
  const page = async (path: string) => (await fetch(`${dashboard.url}${path}`)).text();
  const settingsRow = async (email: string) => {
    const html = await (await fetch(`${dashboard.url}/settings`, { headers: { cookie: admin } })).text();
    const at = html.indexOf(`data-user-email="${email}"`);
    return html.slice(at, html.indexOf("</tr>", at));
  };
  const accept = async (path: string, password: string) => {
    const answer = await acceptLink(dashboard.url, path, password);
    const cookie = answer.headers
      .getSetCookie()
      .find((c) => c.startsWith("lt_session="))
      ?.split(";")[0];
    return { answer, cookie, body: cookie ? "" : await answer.text() };
  };

  it("gives the admin a one-time link on the dashboard's origin, never a password field", async () => {
    const html = await (await fetch(`${dashboard.url}/settings`, { headers: { cookie: admin } })).text();
    expect(html).not.toMatch(/type="password"/);
    const answer = await sendAction(dashboard.url, "/settings?/addUser", admin, {
      email: "ada@acme.test",
      role: "sales",
    });
    const text = await answer.text();
    expect(text).toContain(`${dashboard.url}/invite/`);
    const stored = await db.$client.execute("SELECT token_hash FROM invitations");
    const token = text.match(/\/invite\/([A-Za-z0-9_-]{43})/)?.[1] ?? "";
    expect(token).toHaveLength(43);
    expect(JSON.stringify(stored.rows)).not.toContain(token); // only its hash is kept
    expect(await settingsRow("ada@acme.test")).toMatch(/Invitation open until/);
  });

  it("lets the invited person choose a password under the policy and logs them in", async () => {
    const path = await invite("bo@acme.test");
    expect(await page(path)).toContain("You are invited to leadtrail as bo@acme.test.");
    for (const [password, message] of [
      ["short-pw", "The password needs at least 12 characters."],
      ["            ", "The password cannot be only spaces."],
      ["x".repeat(201), "The password may have at most 200 characters."],
    ] as const) {
      const { answer, cookie, body } = await accept(path, password);
      expect(cookie).toBeUndefined();
      expect(answer.status).toBe(400);
      expect(body).toContain(message);
    }
    const { cookie } = await accept(path, "bo-chose-this-one");
    expect(cookie).toBeDefined();
    const me = await fetch(`${dashboard.url}/api/me`, { headers: { cookie: cookie ?? "" } });
    expect(await me.json()).toMatchObject({ email: "bo@acme.test", role: "sales" });
    await login(dashboard.url, "bo@acme.test", "bo-chose-this-one");
    expect(await settingsRow("bo@acme.test")).toMatch(/Password set/);
  });

  it("says clearly when a link was used, has expired, is wrong, or was replaced", async () => {
    const used = await invite("cy@acme.test");
    expect((await accept(used, "cy-chose-this-one")).cookie).toBeDefined();
    expect(await page(used)).toContain("This link was used already.");
    const again = await accept(used, "attacker-password-1");
    expect(again.cookie).toBeUndefined();
    expect(again.answer.status).toBe(410);
    expect(again.body).toContain("This link was used already.");
    await login(dashboard.url, "cy@acme.test", "cy-chose-this-one");

    const old = await invite("di@acme.test");
    await db.$client.execute({
      sql: "UPDATE invitations SET expires_at = ? WHERE user_id = (SELECT id FROM users WHERE email = ?)",
      args: [Date.now() - 1000, "di@acme.test"],
    });
    expect(await page(old)).toContain("This link has expired.");
    expect((await accept(old, "di-chose-this-one")).body).toContain("This link has expired.");
    expect(await settingsRow("di@acme.test")).toMatch(/No password yet and no open invitation/);

    const wrong = `${old.slice(0, -5)}AAAAA`;
    expect(await page(wrong)).toContain("This link does not work");
    expect(await page("/invite/not-a-token")).toContain("This link does not work");
    expect((await accept(wrong, "di-chose-this-one")).body).toContain("This link does not work");

    // "New invitation link" in Settings replaces the old one.
    const id = String((await db.$client.execute("SELECT id FROM users WHERE email = 'di@acme.test'")).rows[0]?.id);
    const fresh = await linkIn(await sendAction(dashboard.url, "/settings?/issueLink", admin, { id }));
    expect(fresh).toBeDefined();
    expect(await settingsRow("di@acme.test")).toMatch(/Invitation open until/);
    expect((await accept(fresh ?? "", "di-chose-this-one")).cookie).toBeDefined();
    await expect(login(dashboard.url, "nobody@acme.test", "di-chose-this-one")).rejects.toThrow(/log-in failed/);
  });
});

describe.skipIf(skipBrowserTests)("invitations in Chromium", () => {
  it("an admin invites a rep in Settings, copies the link, and the rep sets a password and lands on My leads", async () => {
    const database = tempDatabase();
    const dashboard = await startDashboard(database.url, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    const browser = await launchBrowser();
    try {
      const adminContext = await browser.newContext();
      await adminContext.grantPermissions(["clipboard-read", "clipboard-write"], { origin: dashboard.url });
      const admin = await adminContext.newPage();
      await admin.goto(`${dashboard.url}/login`);
      await admin.fill('input[name="email"]', ADMIN.email);
      await admin.fill('input[name="password"]', ADMIN.password);
      await Promise.all([admin.waitForURL(`${dashboard.url}/`), admin.click('button[type="submit"]')]);
      await admin.goto(`${dashboard.url}/settings`);
      const addForm = admin.locator('form[action="?/addUser"]');
      await addForm.locator('input[name="email"]').fill("eve@acme.test");
      await addForm.locator('select[name="role"]').selectOption("sales");
      await addForm.locator('button[type="submit"]').click();
      const shown = admin.getByTestId("user-link");
      const link = (await shown.locator("code").textContent()) ?? "";
      expect(link).toMatch(new RegExp(`^${dashboard.url}/invite/[\\w-]{43}$`));
      await shown.getByRole("button", { name: "Copy" }).click();
      await shown.getByRole("button", { name: "Copied" }).waitFor();
      expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(link);
      expect(await admin.locator('tr[data-user-email="eve@acme.test"]').textContent()).toContain(
        "Invitation open until",
      );

      const rep = await (await browser.newContext()).newPage();
      await rep.goto(link);
      await rep.getByText("You are invited to leadtrail as eve@acme.test.").waitFor();
      await rep.fill('input[name="password"]', "            ");
      await rep.click('button[type="submit"]');
      await rep.getByText("The password cannot be only spaces.").waitFor();
      await rep.fill('input[name="password"]', "eve-chose-this-one");
      await Promise.all([rep.waitForURL(`${dashboard.url}/my-leads`), rep.click('button[type="submit"]')]);
      await rep.goto(link);
      await rep.getByText("This link was used already.").waitFor();
    } finally {
      await browser.close();
      await dashboard.stop();
      database.remove();
    }
  });
});

describe("first admin when only other users exist", () => {
  it("creates the admin from ADMIN_EMAIL / ADMIN_PASSWORD although reps exist, and /setup otherwise", async () => {
    const database = tempDatabase();
    const db = await createDb({ url: database.url });
    await migrate(db.$client);
    await createUser(db, { email: "rep@acme.test", passwordHash: NO_PASSWORD_HASH, role: "sales" });
    const plain = await startDashboard(database.url);
    try {
      // No admin yet: the log-in page would be a dead end, so set-up comes first.
      expect((await fetch(`${plain.url}/login`, { redirect: "manual" })).headers.get("location")).toBe("/setup");
    } finally {
      await plain.stop();
    }
    // A password under the policy stops the start with a message instead of making a weak admin.
    await expect(
      startDashboard(database.url, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: "          " }),
    ).rejects.toThrow(/ADMIN_PASSWORD is not acceptable \(only whitespace\)/);
    const configured = await startDashboard(database.url, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    try {
      const cookie = await login(configured.url, ADMIN.email, ADMIN.password);
      const me = await fetch(`${configured.url}/api/me`, { headers: { cookie } });
      expect(await me.json()).toMatchObject({ email: ADMIN.email, role: "admin" });
    } finally {
      await configured.stop();
      db.$client.close();
      database.remove();
    }
  });
});
