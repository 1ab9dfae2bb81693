// A one-page PDF built from text so the collector needs no file system (edge runtimes have none).
// Cross-reference offsets are computed rather than hand-counted, so editing the text keeps it valid.

const TEXT_LINES = [
  "The lead management playbook",
  "Acme Analytics - demo whitepaper",
  "",
  "1. Set campaign goals: leads per month.",
  "2. Define target groups and personas.",
  "3. Run lead generation campaigns.",
  "4. Nurture leads with the right content.",
  "5. Score behaviour and fit (sales-ready at 35 points).",
  "6. Route sales-ready leads to the right rep.",
];

function pdfString(text: string): string {
  return `(${text.replace(/[\\()]/g, (ch) => `\\${ch}`)})`;
}

function buildPdf(): string {
  const content = [
    "BT /F1 20 Tf 72 760 Td",
    ...TEXT_LINES.flatMap((line, i) => [`${pdfString(line)} Tj`, i === 0 ? "/F1 12 Tf 0 -30 Td" : "0 -18 Td"]),
    "ET",
  ].join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  // Every character is ASCII, so string length equals byte length for the xref offsets.
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefAt = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, "0")} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return pdf;
}

/** The demo whitepaper as PDF text (ASCII only, so it can be served as a string body). */
export const WHITEPAPER_PDF = buildPdf();
