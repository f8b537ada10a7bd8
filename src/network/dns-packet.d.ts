// The part of dns-packet (5.x, no bundled types) that the embedded DNS server uses.
declare module 'dns-packet' {
  export interface Question { type: string; name: string; class?: string }
  export interface Answer { type: string; name: string; ttl?: number; class?: string; data: unknown }
  export interface Packet {
    id?: number;
    type?: 'query' | 'response';
    flags?: number;
    rcode?: string;
    questions?: Question[];
    answers?: Answer[];
    authorities?: Answer[];
    additionals?: Answer[];
  }
  export function encode(p: Packet): Buffer;
  export function decode(b: Buffer): Packet;
  export function streamEncode(p: Packet): Buffer;
  export function streamDecode(b: Buffer): Packet;
  export const RECURSION_DESIRED: number;
  export const RECURSION_AVAILABLE: number;
  export const AUTHORITATIVE_ANSWER: number;
  const packet: {
    encode: typeof encode; decode: typeof decode; streamEncode: typeof streamEncode; streamDecode: typeof streamDecode;
    RECURSION_DESIRED: number; RECURSION_AVAILABLE: number; AUTHORITATIVE_ANSWER: number;
  };
  export default packet;
}
