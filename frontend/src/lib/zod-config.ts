import { z } from "zod";

// Zod compiles object schemas with `new Function` when it may, and probes for it once; under the
// platform's Content-Security-Policy (no 'unsafe-eval') the probe itself is reported as a violation.
// Jitless validation is as correct, and fast enough for forms.
z.config({ jitless: true });
