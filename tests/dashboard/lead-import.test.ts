// CSV import in Chromium: an admin uploads a CRM export, fixes the column mapping, sees the row
// errors in the preview, and imports the valid rows in one go; an existing lead is updated, not
// duplicated, and formula-looking values arrive as text.
import { createDb, createSite, type Database, insertLead, migrate } from "@leadtrail/db";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, skipBrowserTests } from "../support/browser.ts";
import { type RunningProcess, startDashboard, tempDatabase } from "../support/processes.ts";

const ADMIN = { email: "admin@import.test", password: "admin-password-1" };
const CSV = [
  "Email,Full name,Organisation name,Job Title,Country,Lifecycle Stage,Notes",
  "known@bigcorp.test,Known Person,BigCorp,CTO,DE,,",
  "new@bigcorp.test,=cmd|' /C calc'!A0,BigCorp,Engineer,AT,sql,",
  "not-an-email,Broken,,,,,",
  "other@gmail.com,Other,,,US,hot,",
].join("\n");

describe.skipIf(skipBrowserTests)("CSV lead import in Chromium", () => {
  const database = tempDatabase();
  let db: Database;
  let siteId: number;
  let dashboard: RunningProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    db = await createDb({ url: database.url });
    await migrate(db.$client);
    const site = await createSite(db, { publicKey: "import-site", name: "Import", domains: ["import.test"] });
    siteId = site.id;
    await insertLead(db, {
      siteId,
      email: "known@bigcorp.test",
      name: "Old Name",
      companyId: null,
      role: null,
      traits: {},
      unverified: false,
      createdAt: Date.now() - 86_400_000,
    });
    dashboard = await startDashboard(database.url, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.goto(`${dashboard.url}/login`);
    await page.getByLabel(/e-mail/i).fill(ADMIN.email);
    await page.getByLabel(/password/i).fill(ADMIN.password);
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 60_000 }),
      page.getByRole("button", { name: /log in/i }).click(),
    ]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.stop();
    db?.$client.close();
    database.remove();
  });

  it("uploads, maps, previews with row errors, and imports the valid rows once", async () => {
    await page.goto(`${dashboard.url}/leads`);
    await page.getByRole("link", { name: "Import leads (CSV)" }).click();
    await page.waitForURL(/\/leads\/import/);
    await page.setInputFiles('input[name="file"]', { name: "crm.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) });
    await page.getByRole("button", { name: "Preview" }).click();

    // The suggested mapping found e-mail, name, role, country and stage, but not the company column.
    const mapping = page.getByTestId("import-mapping");
    await mapping.waitFor();
    await expect.poll(() => page.locator('select[data-field="email"]').inputValue()).toBe("0");
    expect(await page.locator('select[data-field="name"]').inputValue()).toBe("1");
    expect(await page.locator('select[data-field="stage"]').inputValue()).toBe("5");
    expect(await page.locator('select[data-field="company"]').inputValue()).toBe("");
    await page.locator('select[data-field="company"]').selectOption("2");
    await page.getByRole("button", { name: "Preview again" }).click();
    await expect
      .poll(() => page.getByTestId("import-sample").locator("tbody tr").first().locator("td").nth(3).textContent())
      .toBe("BigCorp");

    expect(await page.getByTestId("import-counts").textContent()).toContain(
      "4 rows: 2 valid (1 already leads, updated), 2 with errors.",
    );
    const errors = await page.getByTestId("import-errors").locator("tbody tr").allTextContents();
    expect(errors).toEqual([
      expect.stringMatching(/^4\s*E-mail\s*not an e-mail address$/),
      expect.stringMatching(/^5\s*Stage\s*unknown stage "hot"$/),
    ]);

    // Importing with invalid rows is refused, nothing written.
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "Nothing was imported" }).waitFor();
    expect((await db.$client.execute("SELECT count(*) AS n FROM leads")).rows[0]?.n).toBe(1);

    // Leaving the invalid rows out imports the two valid ones in one transaction.
    await page.getByLabel("Import the valid rows and leave the rows with errors out").check();
    await page.getByRole("button", { name: "Import", exact: true }).click();
    const done = page.getByTestId("import-done");
    await done.waitFor();
    expect(await done.textContent()).toContain("Imported: 1 new, 1 updated, 2 left out");

    const leads = (
      await db.$client.execute(
        `SELECT l.email, l.name, l.role, l.stage, c.name AS company FROM leads l
         LEFT JOIN companies c ON c.id = l.company_id ORDER BY l.email`,
      )
    ).rows;
    expect(leads).toEqual([
      { email: "known@bigcorp.test", name: "Known Person", role: "CTO", stage: "lead", company: "BigCorp" },
      { email: "new@bigcorp.test", name: "=cmd|' /C calc'!A0", role: "Engineer", stage: "sql", company: "BigCorp" },
    ]);
  }, 120_000);
});
