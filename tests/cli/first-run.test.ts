// `npm start` on a fresh data folder: the banner says how to get in — the first admin's e-mail and
// password once, and one-time links for the demo reps — and those work against the real dashboard.
import { createDb, createUser, migrate, NO_PASSWORD_HASH } from "@leadtrail/db";
import { describe, expect, it } from "vitest";
import { acceptLink, login } from "../dashboard/fixture.ts";
import { type RunningLauncher, startLauncher } from "../support/launcher.ts";
import { tempDatabase } from "../support/processes.ts";

async function stop(launcher: RunningLauncher) {
  if (launcher.child.exitCode === null) launcher.child.kill("SIGTERM");
  expect(await launcher.exited).toBe(0);
}

const me = async (url: string, cookie: string) =>
  (await (await fetch(`${url}/api/me`, { headers: { cookie } })).json()) as { email: string; role: string };

describe("npm start on a fresh machine", () => {
  it("prints the generated admin and the demo reps' invitation links once, and both let people in", async () => {
    const database = tempDatabase();
    try {
      const first = await startLauncher(database.url);
      let banner: string;
      try {
        banner = (await first.waitForOutput(/leadtrail is running[\s\S]*Press Ctrl-C to stop\./, 400_000))[0];
        const [, email, password] = banner.match(/log in as {3}(\S+) \/ (\S+)/) ?? [];
        expect(email).toBe("admin@leadtrail.local");
        const adminCookie = await login(first.dashboardUrl, email ?? "", password ?? "");
        expect(await me(first.dashboardUrl, adminCookie)).toMatchObject({ email, role: "admin" });

        const links = [...banner.matchAll(/(\S+@leadtrail\.local)\s+(http:\S+\/invite\/[\w-]{43})/g)];
        expect(links.map((l) => l[1])).toEqual([
          "dora.weber@leadtrail.local",
          "jonas.keller@leadtrail.local",
          "sam.lee@leadtrail.local",
        ]);
        const [, repEmail, repLink] = links[0] ?? [];
        const url = new URL(repLink ?? "");
        expect(url.origin).toBe(first.dashboardUrl);
        const accepted = await acceptLink(first.dashboardUrl, url.pathname, "dora-chose-this-one");
        expect(accepted.status).toBe(303);
        await login(first.dashboardUrl, repEmail ?? "", "dora-chose-this-one");
      } finally {
        await stop(first);
      }
      // Shown once: the next start prints neither the password nor links.
      const second = await startLauncher(database.url);
      try {
        const again = (await second.waitForOutput(/leadtrail is running[\s\S]*Press Ctrl-C to stop\./))[0];
        expect(again).not.toMatch(/log in as|\/invite\//);
        expect(again).toContain("log in with your account");
      } finally {
        await stop(second);
      }
    } finally {
      database.remove();
    }
  }, 900_000);

  it("honours ADMIN_EMAIL / ADMIN_PASSWORD when only reps exist, and refuses a weak ADMIN_PASSWORD", async () => {
    const database = tempDatabase();
    const db = await createDb({ url: database.url });
    await migrate(db.$client);
    await createUser(db, { email: "rep@acme.test", passwordHash: NO_PASSWORD_HASH, role: "sales" });
    db.$client.close();
    try {
      const weak = await startLauncher(database.url, {
        LEADTRAIL_DEMO: "0",
        ADMIN_EMAIL: "boss@acme.test",
        ADMIN_PASSWORD: "            ",
      });
      expect(await weak.exited).toBe(1);
      expect(weak.output()).toContain("ADMIN_PASSWORD is not acceptable (only whitespace)");
      expect(weak.output()).not.toContain("started (pid");

      const launcher = await startLauncher(database.url, {
        LEADTRAIL_DEMO: "0",
        ADMIN_EMAIL: "boss@acme.test",
        ADMIN_PASSWORD: "boss-password-123",
      });
      try {
        const banner = (await launcher.waitForOutput(/leadtrail is running[\s\S]*Press Ctrl-C to stop\./))[0];
        expect(banner).toContain("log in as   boss@acme.test / (the ADMIN_PASSWORD you set)");
        expect(banner).not.toContain("boss-password-123");
        const cookie = await login(launcher.dashboardUrl, "boss@acme.test", "boss-password-123");
        expect(await me(launcher.dashboardUrl, cookie)).toMatchObject({ role: "admin" });
      } finally {
        await stop(launcher);
      }
    } finally {
      database.remove();
    }
  }, 300_000);
});
