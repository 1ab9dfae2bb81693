// Bundles the collector's two entry points:
// - dist/server.js, the Node entry: the workspace packages export TypeScript source, and a bundle
//   starts faster and uses less memory than compiling that source at run time with tsx.
//   @libsql/client stays external: it loads a native binary.
// - dist/edge/worker.js, the edge worker for workerd / Cloudflare: web builds of every dependency
//   (the `workerd`/`worker`/`browser` export conditions), and the build fails if any import but the
//   runtime's own `cloudflare:workers` is left in it (no `node:` modules).
import { build } from "esbuild";

await build({
  entryPoints: ["src/node/server.ts"],
  outfile: "dist/server.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  external: ["@libsql/client", "libsql"],
  // Some bundled dependencies are CommonJS and call require(); give them one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
});

const edge = await build({
  entryPoints: ["src/edge/worker.ts"],
  outfile: "dist/edge/worker.js",
  bundle: true,
  platform: "neutral",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["browser", "module", "main"],
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: true,
  metafile: true,
  // Provided by the runtime (the Durable Object base class).
  external: ["cloudflare:workers"],
  logLevel: "warning",
});
const nodeImports = Object.values(edge.metafile.outputs)
  .flatMap((output) => output.imports)
  .filter((i) => i.external && i.path !== "cloudflare:workers")
  .map((i) => i.path);
if (nodeImports.length > 0)
  throw new Error(`the edge worker imports ${nodeImports.join(", ")}; it must be self-contained`);
