import { z } from "zod/v4";

// The page's Content-Security-Policy allows no eval. zod compiles fast validators with
// `new Function` after probing for it, and the browser reports even that caught probe as a
// policy violation; jitless validation never tries. zod reads the setting, and probes, when an
// object schema is built, so it must be set before the first one is: the client's build
// resolves every `import … from "zod"` to this module (vite.config.ts's alias), and a module's
// imports run before it — no schema in any chunk (the entry, a lazy tab, a chunk they share,
// the run-file worker) is built before this line, however the bundler splits them.
z.config({ jitless: true });

export * from "zod/v4";
export { z, z as default };
