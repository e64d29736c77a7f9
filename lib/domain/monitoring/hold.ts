// How an event is held: nothing as written that could name a person. The user, an
// e-mail target and the object become keyed hashes (HMAC-SHA-256 under the same key
// as the data map's, so the organisation's people are recognised by hashing their
// addresses and ids the same way), with a masked form beside them; a target address
// keeps its domain (the outside-domain and personal-account rules need it); group
// names are redacted and kept with the keyed hash the data map keeps of them; an IP
// address keeps its network only. The event's id is a hash of platform, time, user,
// action and object, so the same event always has the same key. Pure.
import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { groupHash, hmac, mask } from '../detect/mask.ts';
import { redact, redactName } from '../detect/redact.ts';
import { memoised } from '../text/memo.ts';
import { domainOf, type EventInput, type HeldEvent, type HeldTarget } from './event.ts';

/** The keyed hash of a user as a platform names them (an address or an id), in lower case. */
export function userHash(key: string | Uint8Array, user: string): string {
  return hmac(key, `user:${user.trim().toLowerCase()}`);
}

/** A user as people may see it, in lower case: an address masked (`c***@acme.example`), an id to its first two and last characters. */
export function shownUser(user: string): string {
  // Lower case, as the hash is: the same user is shown the same way however the platform wrote them.
  const value = user.trim().toLowerCase();
  if (domainOf(value)) return mask({ type: 'email', value });
  return value.length <= 4 ? '***' : `${value.slice(0, 2)}***${value.slice(-1)}`;
}

/** An IP address to its network: IPv4 to the /24, IPv6 to its first three groups. */
export function maskIp(ip: string): string {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(ip.trim());
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.*`;
  if (ip.includes(':')) {
    // `::` stands for as many zero groups as the address leaves out (and an IPv4 tail for two):
    // expanded, so that `2001:db8::1` is in 2001:db8:0::, not shown as `2001:db8:::*`.
    const [head = '', tail, ...rest] = ip.trim().toLowerCase().split('::');
    const groups = (part: string | undefined) => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['v4', 'v4'] : [g])) : []);
    const front = groups(head);
    const back = groups(tail);
    if (rest.length > 0 || front.length + back.length > 8) return '*';
    const all = [...front, ...Array<string>(tail === undefined ? 0 : 8 - front.length - back.length).fill('0'), ...back];
    const network = all.slice(0, 3);
    if (network.length < 3 || network.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return '*';
    return `${network.join(':')}::*`;
  }
  return '*';
}

/** The deterministic id of an event: platform, time, user, action and object. */
export function eventId(platform: string, time: string, user: string, action: string, objectHash: string): string {
  return createHash('sha256').update(`${platform}\u0000${time}\u0000${user}\u0000${action}\u0000${objectHash}`, 'utf8').digest('hex').slice(0, 16);
}

/** Holds events of one platform received together; remembers the names that come again (users, groups). */
export class EventHolder {
  /** The key as a KeyObject: an HMAC made with one costs about a fifth less than with the raw key. */
  private readonly key: KeyObject;
  private readonly platform: string;
  private readonly receivedAt: string;
  private readonly users: (u: string) => string;
  private readonly shown: (u: string) => string;
  private readonly groupNames: (g: string) => string;
  private readonly groupHashes: (g: string) => string;
  private readonly objects: (o: string) => string;

  constructor(key: string | Uint8Array, platform: string, receivedAt: string) {
    if (key.length === 0) throw new Error('the hash key must not be empty');
    this.key = createSecretKey(typeof key === 'string' ? Buffer.from(key, 'utf8') : key);
    this.platform = platform;
    this.receivedAt = receivedAt;
    this.users = memoised((u) => userHash(key, u), 65_536);
    this.shown = memoised(shownUser, 65_536);
    this.groupNames = memoised(redactName, 4096);
    this.groupHashes = memoised((g) => groupHash(key, g), 4096);
    this.objects = memoised((o) => redact(o.length > 300 ? `${o.slice(0, 300)}…` : o), 4096);
  }

  target(raw: string): HeldTarget {
    const value = raw.trim();
    if (value.toLowerCase() === 'public') return { kind: 'public' };
    const domain = domainOf(value);
    if (domain) return { kind: 'address', domain, hash: this.users(value), shown: this.shown(value) };
    return { kind: 'group', name: this.groupNames(value), hash: this.groupHashes(value) };
  }

  hold(e: EventInput): HeldEvent {
    const user = this.users(e.user);
    const objectHash = createHmac('sha256', this.key).update(`object:${e.object}`, 'utf8').digest('hex');
    return {
      id: eventId(this.platform, e.time, user, e.action, objectHash),
      platform: this.platform,
      time: e.time,
      receivedAt: this.receivedAt,
      user,
      userShown: this.shown(e.user),
      action: e.action,
      object: this.objects(e.object),
      objectHash,
      ...(e.group !== undefined ? { group: this.groupNames(e.group), groupHash: this.groupHashes(e.group) } : {}),
      ...(e.target !== undefined ? { target: this.target(e.target) } : {}),
      ...(e.ip !== undefined ? { ip: maskIp(e.ip) } : {}),
    };
  }
}
