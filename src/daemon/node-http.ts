// node:http without its eager cost: an ESM `import … from 'node:http'` evaluates every lazy
// export of the module (tls, zlib, crypto, worker_threads: ~12 MiB more RSS at idle), while
// process.getBuiltinModule hands over the CommonJS module with its lazy getters intact.
import type * as Http from 'node:http';

export const http = process.getBuiltinModule('node:http') as typeof Http;
