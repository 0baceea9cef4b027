#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/<target>/seed-*). Run it again
after changing it; the seeds are checked in so that scripts/fuzz needs nothing but a build."""
import base64, hashlib, hmac, json, os, struct

here = os.path.dirname(os.path.abspath(__file__))


def put(target, name, data):
    os.makedirs(os.path.join(here, target), exist_ok=True)
    with open(os.path.join(here, target, 'seed-' + name), 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=')


def hs256(claims, secret=b's' * 40, header=None):
    header = header or {'alg': 'HS256', 'typ': 'JWT'}
    signing = b64(json.dumps(header).encode()) + b'.' + b64(json.dumps(claims).encode())
    return signing + b'.' + b64(hmac.new(secret, signing, hashlib.sha256).digest())


def frame(opcode, payload, fin=True, mask=b'\x01\x02\x03\x04'):
    out = bytes([(0x80 if fin else 0) | opcode])
    n = len(payload)
    if n < 126:
        out += bytes([0x80 | n])
    elif n < 65536:
        out += bytes([0x80 | 126]) + struct.pack('>H', n)
    else:
        out += bytes([0x80 | 127]) + struct.pack('>Q', n)
    return out + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


upgrade = ('GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
           'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'
           'Authorization: Bearer abc\r\n\r\n')
put('httprequest', 'upgrade', b'\x07' + upgrade.encode())
put('httprequest', 'bare-lf', b'\x03' + upgrade.replace('\r\n', '\n').encode())
put('httprequest', 'beacon', b'\x10POST /disconnect HTTP/1.1\r\nHost: h\r\nContent-Length: 23\r\n\r\n{"sessionToken":"abcd"}')
put('httprequest', 'healthz', b'\x01GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n')
put('httprequest', 'chunked', b'\x05POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n')

requests = {
    'heartbeat': {'id': 1, 'type': 'heartbeat', 'roomId': 'doc-1', 'sessionId': 's1', 'interval': 10000, 'compact': True, 'away': True},
    'list': {'id': 2, 'type': 'list', 'roomToken': 'Rk9vYmFy', 'limit': 104},
    'subscribe': {'id': 3, 'type': 'subscribe', 'roomToken': 'Rk9vYmFy', 'limit': 5, 'counts': True},
    'unsubscribe': {'id': 4, 'type': 'unsubscribe', 'sub': 3},
    'disconnect': {'id': 5, 'type': 'disconnect', 'sessionToken': 'c2Vz'},
    'auth': {'id': 6, 'type': 'auth', 'token': 'a.b.c'},
    'update': {'id': 7, 'type': 'update', 'sessionToken': 'c2Vz', 'data': {'status': 'Reviewing', 'cursor': [1, 2.5]}},
    'update-null': {'id': 8, 'type': 'update', 'sessionToken': 'c2Vz', 'data': None},
    'peek': {'id': 9, 'type': 'subscribe', 'roomId': 'doc-1', 'limit': 3, 'counts': True},
    'online': {'id': 10, 'type': 'online', 'limit': 100, 'cursor': 'dXNlcl8wMQ'},
    'whereis': {'id': 11, 'type': 'whereis', 'userId': 'alice'},
    'kick': {'id': 12, 'type': 'kick', 'roomId': 'doc-1', 'userId': 'bob'},
    'remove-room': {'id': 13, 'type': 'removeRoom', 'roomId': 'doc-1'},
}
for name, request in requests.items():
    put('request', name, json.dumps(request, separators=(',', ':')))
put('request', 'big-id', '{"id":9007199254740993,"type":"list","roomToken":"x"}')

member = {'userId': 'alice', 'online': True, 'lastDisconnected': 0, 'name': 'Alice', 'image': 'https://x/a.png'}
replies = {
    'tokens': {'id': 1, 'type': 'result', 'result': {'roomToken': 'Rk9vYmFy', 'sessionToken': 'c2Vz'}},
    'compact': {'id': 1, 'type': 'result'},
    'list': {'id': 3, 'type': 'result', 'result': [member, dict(member, userId='bob', online=False, lastDisconnected=1700000000000)]},
    'diff': {'type': 'diff', 'sub': 3, 'upsert': [member], 'remove': ['bob']},
    'diff-counts': {'type': 'diff', 'sub': 3, 'online': 12, 'total': 500},
    'online': {'id': 10, 'type': 'result', 'result': {'users': [{'userId': 'a', 'name': 'A', 'away': False, 'rooms': ['doc-1']}], 'cursor': 'YQ'}},
    'whereis': {'id': 11, 'type': 'result', 'result': {'rooms': ['doc-1', 'doc-2']}},
    'kicked': {'type': 'kicked', 'roomId': 'doc-1'},
    'diff-data': {'type': 'diff', 'sub': 3, 'upsert': [dict(member, data={'status': 'Busy', 'nested': {'a': [1]}})]},
    'counted-list': {'id': 3, 'type': 'result', 'result': {'members': [dict(member, away=True)], 'online': 1, 'total': 2}},
    'error': {'id': 2, 'type': 'error', 'error': {'code': 'permission_denied', 'message': 'another organization'}},
    'rate-limited': {'type': 'error', 'error': {'code': 'rate_limited', 'message': 'slow down'}},
    'auth': {'id': 6, 'type': 'result', 'result': {'userId': 'alice', 'validUntil': 1700000360000}},
}
for name, reply in replies.items():
    put('reply', name, json.dumps(reply, separators=(',', ':')))

now = 1_700_000_000
claims = {'sub': 'alice', 'org_id': 'acme', 'exp': now + 3600, 'iat': now, 'name': 'Alice',
          'picture': 'https://example.com/a.png', 'email': 'alice@example.com'}
put('jwt', 'valid', hs256(claims))
put('jwt', 'huge-exp', hs256(dict(claims, exp=1e16)))
put('jwt', 'crit', hs256(claims, header={'alg': 'HS256', 'crit': ['exp']}))
put('jwt', 'rs256-header', b64(b'{"alg":"RS256","kid":"key-1"}') + b'.' + b64(json.dumps(claims).encode()) + b'.c2ln')
put('jwt', 'none', b64(b'{"alg":"none"}') + b'.' + b64(json.dumps(claims).encode()) + b'.')

put('jwks', 'one-key', json.dumps({'keys': [{'kty': 'RSA', 'kid': 'key-1', 'use': 'sig', 'alg': 'RS256', 'e': 'AQAB',
                                             'n': b64(b'\xc5' * 256).decode()}]}))
put('jwks', 'mixed', json.dumps({'keys': [{'kty': 'EC', 'crv': 'P-256', 'x': 'AA', 'y': 'AA'},
                                          {'kty': 'RSA', 'use': 'enc', 'kid': 'e', 'e': 'AQAB', 'n': 'AQAB'}]}))

put('users', 'ours', json.dumps([{'workosId': 'user_1', 'email': 'a@x.io', 'name': 'Ann', 'image': 'https://x/a.png'},
                                 {'email': 'b@x.io', 'name': 'Bob'}]))
put('users', 'workos', json.dumps({'data': [{'object': 'user', 'id': 'user_1', 'email': 'a@x.io', 'first_name': 'Ann',
                                            'last_name': 'Lee', 'profile_picture_url': 'file:///dev/zero'}]}))

def text(obj):
    return frame(0x1, json.dumps(obj, separators=(',', ':')).encode())

session = (text(requests['heartbeat']) + text(requests['subscribe']) + frame(0x9, b'ping') + text(requests['list'])
           + frame(0x1, b'{"id":7,"type":"heart', fin=False) + frame(0x0, b'beat","roomId":"d","sessionId":"s2"}')
           + text(requests['update']) + text(requests['peek']) + text(requests['online']) + text(requests['whereis'])
           + text(requests['kick']) + text(requests['unsubscribe']) + text(requests['disconnect']) + frame(0x8, b'\x03\xe8bye'))
put('connection', 'session', b'\x01\x40' + session)
put('connection', 'deaf-pings', b'\x03\x7f' + frame(0x9, b'p' * 125) * 40)
put('connection', 'auth-frame', b'\x00\x10' + upgrade.replace('Authorization: Bearer abc\r\n', '').encode()
    + text(requests['auth']) + text(requests['heartbeat']))
put('connection', 'binary-and-oversized', b'\x01\x20' + frame(0x2, b'\x00' * 10) + frame(0x1, b'{' * 70000))
put('connection', 'head-only', b'\x00\x05' + upgrade.encode())


def resp(value):
    """Redis's protocol (RESP2): str is a bulk string, int an integer, list an array, None nil;
    ('+', s) a status and ('-', s) an error."""
    if value is None:
        return b'$-1\r\n'
    if isinstance(value, int):
        return b':%d\r\n' % value
    if isinstance(value, tuple):
        return value[0].encode() + value[1].encode() + b'\r\n'
    if isinstance(value, list):
        return b'*%d\r\n' % len(value) + b''.join(resp(v) for v in value)
    data = value.encode() if isinstance(value, str) else value
    return b'$%d\r\n' % len(data) + data + b'\r\n'


def compact(obj):
    return json.dumps(obj, separators=(',', ':'))


member = {'u': 'ada', 'o': 1, 'ld': 0, 'j': 3, 'a': 0, 'd': compact({'status': 'away'}), 'n': 'Ada', 'i': ''}
room = ['3abc.token', 7, 'org_a', 'doc', 'ada', compact(member), 'bob',
        compact(dict(member, u='bob', o=0, ld=1764800000000, j=1))]
# The first byte of each input says where a socket cuts it (here: whole, then in pieces of 3).
put('redis', 'room', b'\xff' + resp(room))
put('redis', 'events', b'\x02' + resp(['smessage', 'p:{p3}:e:3abc', compact({'v': 8, 'm': member})])
    + resp(['smessage', 'p:{p3}:e:3abc', compact({'v': 9, 'r': 1})])
    + resp(['smessage', 'p:{p3}:kick', compact({'t': '3abc.x', 'r': 'doc'})])
    + resp(['ssubscribe', 'p:{p3}:users', 1]))
put('redis', 'cluster-slots', b'\xff' + resp([[0, 5460, ['127.0.0.1', 7000, 'id0'], ['127.0.0.1', 7003, 'id3']],
                                                [5461, 16383, ['?', 7001, 'id1']]]))
put('redis', 'redirections', b'\xff' + resp(('-', 'MOVED 3999 127.0.0.1:6381')) + resp(('-', 'ASK 1 ::1:7000'))
    + resp(('-', 'CLUSTERDOWN The cluster is down')) + resp(('+', 'OK')))
put('redis', 'users', b'\xff' + resp(['\x1fuser_1', compact({'w': 'user_1', 'e': 'a@x.io', 'n': 'Ann'}),
                                      'b@x.io', compact({'e': 'b@x.io', 'n': 'Bob', 'i': 'https://x/b.png'})]))
put('redis', 'nested', b'\x00' + resp([[[[None, 1, ''], []], -5], 'x']))

# SignIn: the first byte says which reader (0: discovery, 1: an ID token, 2: claims to wrap).
issuer = 'https://auth.example.com'
put('signin', 'discovery', b'\x00' + json.dumps({'issuer': issuer, 'authorization_endpoint': issuer + '/authorize',
    'token_endpoint': issuer + '/token', 'revocation_endpoint': issuer + '/revoke'}).encode())
put('signin', 'discovery-loopback', b'\x00' + json.dumps({'issuer': issuer,
    'authorization_endpoint': 'http://127.0.0.1:9/a', 'token_endpoint': 'http://[::1]:9/t'}).encode())
alice = {'iss': issuer, 'aud': ['other', 'presence-desktop'], 'exp': 1800000600, 'nonce': 'n0nce', 'sub': 'alice',
         'name': 'Alice Liddell', 'picture': 'https://x/a.png'}
put('signin', 'id-token', b'\x01' + b64(b'{"alg":"RS256"}') + b'.' + b64(json.dumps(alice).encode()) + b'.c2ln')
put('signin', 'claims', b'\x02' + json.dumps(alice).encode())
put('signin', 'claims-refresh', b'\x02' + json.dumps(dict(alice, nonce=None, exp=1e300)).encode())
