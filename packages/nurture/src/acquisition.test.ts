import { describe, expect, it } from "vitest";
import {
  acquisitionOf,
  type ContactSubject,
  contactFlag,
  LEGAL_BASES,
  mayContact,
  outboundExportAllowed,
} from "./acquisition.ts";

describe("acquisitionOf", () => {
  it.each<{ lead: ContactSubject; want: "warm" | "cold" }>([
    { lead: { source: "form" }, want: "warm" },
    { lead: { source: "QR_Scan " }, want: "warm" },
    { lead: { source: "event" }, want: "warm" },
    { lead: { source: "referral" }, want: "warm" },
    { lead: { source: "purchased_list" }, want: "cold" },
    { lead: { source: "outbound" }, want: "cold" },
    { lead: { source: "something-new" }, want: "cold" },
    { lead: {}, want: "cold" },
    { lead: { source: null }, want: "cold" },
    { lead: { source: "purchased_list", stage: "won" }, want: "warm" },
    { lead: { source: "form", acquisition: "cold" }, want: "cold" },
    { lead: { source: "purchased_list", acquisition: "warm" }, want: "warm" },
  ])("$lead → $want", ({ lead, want }) => {
    expect(acquisitionOf(lead)).toBe(want);
  });
});

describe("mayContact / outboundExportAllowed / contactFlag", () => {
  it.each<{ name: string; lead: ContactSubject; allowed: boolean; reason: string; flag: string | null }>([
    {
      name: "cold without basis is held back",
      lead: { source: "purchased_list" },
      allowed: false,
      reason: "cold_without_basis",
      flag: "cold_without_basis",
    },
    {
      name: "cold with basis 'none' likewise",
      lead: { source: "outbound", legalBasis: "none" },
      allowed: false,
      reason: "cold_without_basis",
      flag: "cold_without_basis",
    },
    {
      name: "unknown source counts as cold",
      lead: {},
      allowed: false,
      reason: "cold_without_basis",
      flag: "cold_without_basis",
    },
    {
      name: "cold with legitimate interest",
      lead: { source: "outbound", legalBasis: "legitimate_interest" },
      allowed: true,
      reason: "legal_basis",
      flag: null,
    },
    {
      name: "cold with consent",
      lead: { source: "purchased_list", legalBasis: "consent" },
      allowed: true,
      reason: "legal_basis",
      flag: null,
    },
    {
      name: "customer by contract",
      lead: { source: "outbound", legalBasis: "contract" },
      allowed: true,
      reason: "legal_basis",
      flag: null,
    },
    { name: "warm without basis", lead: { source: "form" }, allowed: true, reason: "warm_inbound", flag: null },
    {
      name: "an opt-out beats consent",
      lead: { source: "form", legalBasis: "consent", optedOut: true },
      allowed: false,
      reason: "opted_out",
      flag: "opted_out",
    },
  ])("$name", ({ lead, allowed, reason, flag }) => {
    const decision = mayContact(lead);
    expect(decision.allowed).toBe(allowed);
    expect(decision.reason).toBe(reason);
    expect(outboundExportAllowed(lead)).toBe(allowed);
    expect(contactFlag(lead)).toBe(flag);
  });

  it("recording a basis lifts the hold on a cold lead", () => {
    const cold: ContactSubject = { source: "purchased_list" };
    expect(outboundExportAllowed(cold)).toBe(false);
    for (const basis of LEGAL_BASES) expect(outboundExportAllowed({ ...cold, legalBasis: basis })).toBe(true);
    expect(outboundExportAllowed({ ...cold, legalBasis: null })).toBe(false);
  });
});
