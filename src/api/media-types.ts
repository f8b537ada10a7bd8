// @pure
// Content types of the Engine API's streams (moby api/types/types.go).
export const MEDIA_RAW_STREAM = 'application/vnd.docker.raw-stream';
export const MEDIA_MULTIPLEXED_STREAM = 'application/vnd.docker.multiplexed-stream';
export const MEDIA_JSON = 'application/json';
export const MEDIA_JSON_SEQ = 'application/json-seq';
export const MEDIA_NDJSON = 'application/x-ndjson';
