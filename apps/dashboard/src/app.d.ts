import type { Database, PublicUser } from "@leadtrail/db";
import type { Locale } from "$lib/i18n/index.ts";

declare global {
  namespace App {
    interface Error {
      code?: string;
    }
    interface Locals {
      db: Database;
      /** The logged-in user, or null. */
      user: PublicUser | null;
      /** The user's language, or the browser's before log-in. */
      locale: Locale;
    }
  }
}
