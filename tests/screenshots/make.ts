// Makes the README's screenshots from the demo data: the overview in light and dark mode, and a sales
// rep's My leads on a 390 × 844 phone. `npm run screenshots` (after building the dashboard) writes
// docs/overview-light.png, docs/overview-dark.png and docs/my-leads-phone.png.
import { resolve } from "node:path";
import { createDb, listUsersWithoutPassword, migrate } from "@leadtrail/db";
import { issueInvitation } from "@leadtrail/workflows";
// The demo loader `npm start` uses on its first run (apps/cli is an app, not a package to depend on).
import { seedDemo } from "../../apps/cli/src/seed-demo.ts";
import { ADMIN, acceptLink } from "../dashboard/fixture.ts";
import { launchBrowser } from "../support/browser.ts";
import { repoRoot, startDashboard, tempDatabase } from "../support/processes.ts";

const DAY = 86_400_000;
const out = (name: string) => resolve(repoRoot, "docs", name);

const database = tempDatabase();
const db = await createDb({ url: database.url });
await migrate(db.$client);
const now = Math.floor(Date.now() / DAY) * DAY - 1;
const loaded = await seedDemo(db, { now, days: 60, visitorsPerDay: 40 });
console.log(`demo: ${loaded.events} events from ${loaded.visitors} visitors`);

// The demo rep with the most open leads chooses a password through their invitation, as in `npm start`.
const reps = await listUsersWithoutPassword(db);
const busiest = await db.$client.execute(
  `SELECT owner_id FROM leads WHERE stage IN ('mql', 'sal', 'sql') AND owner_id IS NOT NULL
   GROUP BY owner_id ORDER BY count(*) DESC LIMIT 1`,
);
const rep = reps.find((r) => r.id === Number(busiest.rows[0]?.owner_id)) ?? reps[0];
if (!rep) throw new Error("the demo has no sales rep");
const dashboard = await startDashboard(database.url, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
const REP_PASSWORD = "screenshot-password-1";
const link = await issueInvitation(db, { userId: rep.id, purpose: "invite", createdBy: null, now: Date.now() });
await acceptLink(dashboard.url, link.path, REP_PASSWORD);

const browser = await launchBrowser();
try {
  async function login(email: string, password: string, options: Parameters<typeof browser.newContext>[0]) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    await page.goto(`${dashboard.url}/login`);
    await page.getByLabel(/e-mail/i).fill(email);
    await page.getByLabel(/password/i).fill(password);
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 60_000 }),
      page.getByRole("button", { name: /log in/i }).click(),
    ]);
    return page;
  }

  const admin = await login(ADMIN.email, ADMIN.password, { viewport: { width: 1280, height: 900 } });
  const from = new Date(now - 29 * DAY).toISOString().slice(0, 10);
  const to = new Date(now).toISOString().slice(0, 10);
  for (const scheme of ["light", "dark"] as const) {
    await admin.emulateMedia({ colorScheme: scheme });
    await admin.goto(`${dashboard.url}/?from=${from}&to=${to}`);
    await admin.locator("canvas").first().waitFor();
    await admin.waitForLoadState("networkidle");
    await admin.screenshot({ path: out(`overview-${scheme}.png`), fullPage: true });
  }

  const phone = await login(rep.email, REP_PASSWORD, {
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  await phone.goto(`${dashboard.url}/my-leads`);
  await phone.locator('[data-testid="my-leads"]').waitFor();
  await phone.screenshot({ path: out("my-leads-phone.png") });
  console.log("wrote docs/overview-light.png, docs/overview-dark.png, docs/my-leads-phone.png");
} finally {
  await browser.close();
  await dashboard.stop();
  db.$client.close();
  database.remove();
}
