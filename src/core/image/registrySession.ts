import type { Challenge } from './authChallenge';

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

/**
 * What is worth remembering between resolutions: bearer tokens (until they expire), which auth
 * challenge each registry uses (to skip the first 401), and which scheme insecure registries speak.
 */
export class RegistrySession {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly challenges = new Map<string, Challenge>();
  private readonly schemes = new Map<string, 'https' | 'http'>();
  /** Number of token requests made, for tests and diagnostics. */
  tokenRequests = 0;

  constructor(private readonly now: () => number = Date.now) {}

  getToken(key: string): string | undefined {
    const cached = this.tokens.get(key);
    if (!cached) return undefined;
    if (cached.expiresAt <= this.now()) {
      this.tokens.delete(key);
      return undefined;
    }
    return cached.token;
  }

  setToken(key: string, token: string, expiresInSeconds: number): void {
    // Renew a little early so that a token never expires in flight.
    const lifetime = Math.max(0, expiresInSeconds - Math.min(30, expiresInSeconds / 10)) * 1000;
    this.tokens.set(key, { token, expiresAt: this.now() + lifetime });
  }

  forgetToken(key: string): void {
    this.tokens.delete(key);
  }

  getChallenge(host: string): Challenge | undefined {
    return this.challenges.get(host);
  }

  setChallenge(host: string, challenge: Challenge): void {
    this.challenges.set(host, challenge);
  }

  getScheme(host: string): 'https' | 'http' | undefined {
    return this.schemes.get(host);
  }

  setScheme(host: string, scheme: 'https' | 'http'): void {
    this.schemes.set(host, scheme);
  }

  clear(): void {
    this.tokens.clear();
    this.challenges.clear();
    this.schemes.clear();
  }
}
