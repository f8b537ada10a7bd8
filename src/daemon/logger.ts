// @pure
// A levelled logger writing lines through an injected sink (main.ts passes stderr).
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'fatal';
import { isoTime } from '../sys/iso-time.ts';
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, fatal: 4 };

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export function isLogLevel(s: string): s is LogLevel {
  return s in ORDER;
}

export function createLogger(level: LogLevel, write: (line: string) => void, now: () => Date = () => new Date()): Logger {
  const at = (l: LogLevel) => (msg: string) => {
    if (ORDER[l] >= ORDER[level]) write(`time="${isoTime(now())}" level=${l} msg=${JSON.stringify(msg)}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
