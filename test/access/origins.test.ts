/**
 * Origin allow-lists: normalisation of the configured entries and the entries that are rejected.
 */
import { describe, expect, it } from 'vitest';
import { parseOrigins } from '../../src/access/origins.js';

describe('parseOrigins', () => {
  it('parses a comma-separated list', () => {
    const origins = parseOrigins('https://dash.example.com, http://localhost:5173');

    expect([...origins]).toEqual(['https://dash.example.com', 'http://localhost:5173']);
  });

  it('returns an empty set for blank text', () => {
    expect(parseOrigins('').size).toBe(0);
    expect(parseOrigins(' , ').size).toBe(0);
  });

  it('normalises case and default ports', () => {
    const origins = parseOrigins('HTTPS://Dash.Example.com:443');

    expect([...origins]).toEqual(['https://dash.example.com']);
  });

  it('accepts a trailing slash', () => {
    expect([...parseOrigins('https://dash.example.com/')]).toEqual(['https://dash.example.com']);
  });

  it.each([
    'dash.example.com',
    'localhost:5173',
    'https://dash.example.com/app',
    'https://dash.example.com?tab=1',
    'https://dash.example.com#top',
    'file:///tmp/index.html',
    'null',
  ])('throws on %j', (entry) => {
    expect(() => parseOrigins(entry)).toThrow(TypeError);
  });

  it('names the invalid entry', () => {
    expect(() => parseOrigins('https://ok.example, dash.example.com')).toThrow(
      '"dash.example.com"',
    );
  });
});
