import { z } from "zod";

// The page's Content-Security-Policy allows no eval. zod compiles fast validators with
// `new Function` after probing for it, and the browser reports even that caught probe as a
// policy violation; jitless validation never tries.
z.config({ jitless: true });
