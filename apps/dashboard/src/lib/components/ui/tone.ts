/** The badge colour of a funnel stage: won is good news, lost and disqualified are not, open work is neutral. */
export function stageTone(stage: string | null): "neutral" | "ok" | "warn" | "danger" {
  if (stage === "won") return "ok";
  if (stage === "lost" || stage === "disqualified") return "danger";
  if (stage === "mql" || stage === "sal") return "warn";
  return "neutral";
}
