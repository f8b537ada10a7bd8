// @pure
// Seccomp: OCI profile → classic BPF (compileSeccomp), and Docker's profile format
// (dockerDefaultProfile, resolveDockerProfile). See compile.ts for the program's layout.
export { compileSeccomp } from './compile.ts';
export { dockerDefaultProfile, resolveDockerProfile } from './docker.ts';
export type { DockerArchMap, DockerSeccompFilter, DockerSeccompProfile, DockerSeccompSyscall, ResolveOptions } from './docker.ts';
export type { CompiledSeccomp, NativeArch, SeccompArg, SeccompProfile, SeccompSyscall, SeccompValue } from './types.ts';
export { BAD_ARCH_ACTION, SECCOMP_FILTER_FLAG_LOG, SECCOMP_FILTER_FLAG_SPEC_ALLOW, SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV } from './actions.ts';
