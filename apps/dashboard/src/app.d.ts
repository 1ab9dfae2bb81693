import type { Database } from "@leadtrail/db";

declare global {
  namespace App {
    interface Error {
      code?: string;
    }
    interface Locals {
      db: Database;
    }
  }
}
