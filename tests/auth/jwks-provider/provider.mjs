// Test-only JWKS/OIDC provider driven over stdin/stdout (see README.md).
//
// oauth2-mock-server's OAuth2Issuer + OAuth2Service do all the OIDC work
// (discovery document, JWKS body, token signing). OAuth2Server keeps its
// http.Server private, so we put our own node:http server in front of the
// service's request handler; that wrapper counts JWKS hits, adds the
// Cache-Control header and simulates outages. The library's key store cannot
// remove keys, so "rotate drop" switches to a fresh issuer holding only the
// new key.
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { OAuth2Issuer, OAuth2Service } from 'oauth2-mock-server';

const JWKS_PATH = '/jwks'; // oauth2-mock-server's default JWKS endpoint

let issuerUrl; // set once listening: http://127.0.0.1:PORT
let service = newService();
let signingKid; // kid of the newest key; every token is signed with it
let jwksHits = 0;
let jwksCacheControl; // undefined: no Cache-Control header
let jwksFailing = false;

// The sign-in flow (authorization code with PKCE, refresh): what the tokens of /token say, and
// what the provider refuses. Kept here, not on the service, which "rotate drop" replaces.
let signInClaims = {}; // merged into the access token and the id_token of /token
let tokenTtl = 3600; // seconds, of the tokens of /token
let denyNext = false; // the next /authorize answers error=access_denied
let tokenFailing = false; // /token answers 503
const revoked = new Set(); // refresh tokens refused from now on
const issued = new Set(); // refresh tokens handed out
let revocations = 0; // POST /revoke of a token handed out
let lastTokenRequest = null; // the form of the last /token request

function newService() {
  const issuer = new OAuth2Issuer();
  issuer.url = issuerUrl;
  const fresh = new OAuth2Service(issuer);
  fresh.on('beforeTokenSigning', (token) => {
    for (const [name, value] of Object.entries(signInClaims)) {
      if (value === null) delete token.payload[name];
      else token.payload[name] = value;
    }
    token.payload.exp = token.payload.iat + tokenTtl;
  });
  fresh.on('beforeResponse', (response, req) => {
    lastTokenRequest = req.body ?? null;
    if (req.body?.grant_type === 'refresh_token' && revoked.has(req.body.refresh_token)) {
      response.statusCode = 400;
      response.body = { error: 'invalid_grant', error_description: 'the refresh token was revoked' };
      return;
    }
    if (response.body && typeof response.body === 'object' && 'expires_in' in response.body) {
      response.body.expires_in = tokenTtl;
    }
    if (typeof response.body?.refresh_token === 'string') issued.add(response.body.refresh_token);
  });
  fresh.on('beforeAuthorizeRedirect', (redirect) => {
    if (!denyNext) return;
    denyNext = false;
    redirect.url.searchParams.delete('code');
    redirect.url.searchParams.set('error', 'access_denied');
    redirect.url.searchParams.set('error_description', 'the user cancelled');
  });
  return fresh;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (req.method === 'GET' && path === JWKS_PATH) {
    jwksHits += 1;
    if (jwksFailing) {
      res.writeHead(503, { 'Content-Type': 'text/plain' }).end('JWKS unavailable\n');
      return;
    }
    if (jwksCacheControl !== undefined) res.setHeader('Cache-Control', jwksCacheControl);
  }
  if (req.method === 'POST' && path === '/token' && tokenFailing) {
    res.writeHead(503, { 'Content-Type': 'text/plain' }).end('token endpoint unavailable\n');
    return;
  }
  if (req.method === 'POST' && path === '/revoke') {
    // RFC 7009: the library answers 200 and forgets; this one remembers.
    readBody(req).then((body) => {
      const token = new URLSearchParams(body).get('token');
      if (token && issued.has(token)) revocations += 1;
      if (token) revoked.add(token);
      res.writeHead(200).end();
    });
    return;
  }
  service.requestHandler(req, res);
});

function reply(line) {
  process.stdout.write(`${line}\n`);
}

async function handle(line) {
  const cmd = line.trim();
  const space = cmd.indexOf(' ');
  const verb = space < 0 ? cmd : cmd.slice(0, space);
  const arg = space < 0 ? '' : cmd.slice(space + 1).trim();

  switch (verb) {
    case '':
      return;
    case 'token': {
      const claims = JSON.parse(arg || '{}');
      if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
        throw new Error('token needs a JSON object of claims');
      }
      const jwt = await service.issuer.buildToken({
        kid: signingKid,
        // Runs after the defaults (iss, iat, exp, nbf) are filled in, so the
        // caller's claims win; a claim given as null is removed instead.
        scopesOrTransform: (_header, payload) => {
          for (const [name, value] of Object.entries(claims)) {
            if (value === null) delete payload[name];
            else payload[name] = value;
          }
        },
      });
      reply(`token ${jwt}`);
      return;
    }
    case 'rotate': {
      if (arg !== '' && arg !== 'drop') throw new Error(`rotate takes no argument or "drop", got "${arg}"`);
      if (arg === 'drop') service = newService();
      const key = await service.issuer.keys.generate('RS256');
      signingKid = key.kid;
      reply(`rotated ${signingKid}`);
      return;
    }
    case 'jwks-hits':
      reply(`jwks-hits ${jwksHits}`);
      return;
    case 'cache-control':
      if (arg === '') throw new Error('cache-control needs a value');
      jwksCacheControl = arg;
      reply('ok');
      return;
    case 'fail-jwks':
      if (arg !== 'on' && arg !== 'off') throw new Error('fail-jwks takes "on" or "off"');
      jwksFailing = arg === 'on';
      reply('ok');
      return;
    case 'claims': {
      const claims = JSON.parse(arg || '{}');
      if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
        throw new Error('claims needs a JSON object');
      }
      signInClaims = claims;
      reply('ok');
      return;
    }
    case 'ttl': {
      const seconds = Number(arg);
      if (!Number.isInteger(seconds) || seconds < 1) throw new Error('ttl needs a whole number of seconds');
      tokenTtl = seconds;
      reply('ok');
      return;
    }
    case 'deny-next':
      denyNext = true;
      reply('ok');
      return;
    case 'fail-token':
      if (arg !== 'on' && arg !== 'off') throw new Error('fail-token takes "on" or "off"');
      tokenFailing = arg === 'on';
      reply('ok');
      return;
    case 'revoke':
      if (arg === '') throw new Error('revoke needs a refresh token');
      revoked.add(arg);
      reply('ok');
      return;
    case 'revoke-all':
      for (const token of issued) revoked.add(token);
      reply(`revoked ${issued.size}`);
      return;
    case 'revocations':
      reply(`revocations ${revocations}`);
      return;
    case 'last-token-request':
      reply(`last-token-request ${JSON.stringify(lastTokenRequest)}`);
      return;
    case 'quit':
      process.exit(0);
    default:
      throw new Error(`unknown command "${verb}"`);
  }
}

signingKid = (await service.issuer.keys.generate('RS256')).kid;
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(0, '127.0.0.1', resolve);
});
issuerUrl = `http://127.0.0.1:${server.address().port}`;
service.issuer.url = issuerUrl;
reply(`ready ${issuerUrl}`);

// One command at a time, in order; each gets exactly one answer line.
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  try {
    await handle(line);
  } catch (err) {
    reply(`error ${String(err.message ?? err).replace(/\s+/g, ' ')}`);
  }
}
process.exit(0); // stdin closed
