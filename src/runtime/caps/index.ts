// @pure
// Linux capabilities: names ↔ numbers ↔ masks, and Docker's defaults and add/drop rules.
export { CAPABILITIES, CAP_LAST_CAP, capNumber, canonicalCapName } from './cap-table.ts';
export { capMask, capNames, parseCapHex } from './cap-mask.ts';
export { DOCKER_DEFAULT_CAPS, applyCapAddDrop } from './docker-caps.ts';
