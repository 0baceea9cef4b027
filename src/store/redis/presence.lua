#!lua name=presence1
-- Presence for Qt: the state of a cluster's rooms in Redis, one function per operation, so that
-- every decision ("was that the user's last session?", "is this user over their quota?") is
-- atomic.
--
-- Organizations are spread over 16 partitions; a partition's keys share the hash tag {pX}, so that
-- all of one organization's state (its rooms, its quotas' counters, the partition's indexes) sits
-- in one slot of a Redis Cluster, and every function touches one slot. For room H (its first
-- digit is the partition X, the first digit of SHA-256 of the organization; then 15 hex digits of
-- SHA-256 of organization and roomId), under base = "p:{pX}:":
--   base..'r:'..H..':meta'  hash   token, org, room, v (version of what watchers see), seq (join order)
--   base..'r:'..H..':m'     hash   userId -> member "o,ld,j,c,a": online (0/1), lastDisconnected,
--                                  join order, live sessions, idle ones
--   base..'r:'..H..':p'     hash   userId -> name US image, for members whose token gave either
--   base..'r:'..H..':d'     hash   userId -> data (compact JSON), for online members that set some
--   base..'r:'..H..':s'     hash   userId US sessionId -> session: idle (0/1), node (16 characters),
--                                  token, run together (a token's own part: what follows 'H.')
-- Short values keep a room's hashes in Redis's compact encoding (values up to 64 bytes by default):
-- a session and a member cost tens of bytes, not a hundred and more.
--   base..'r:'..H..':dl'    zset   session -> deadline (ms)
--   base..'r:'..H..':t'     hash   session token (its own part) -> session
--   base..'o:'..org         hash   the organization's counters: 's' live sessions, 'r' rooms, and
--                                  US..userId -> a user: the rooms they are a member of, then
--                                  each live session as RS sessionId US H (its room)
--   base..'due'             zset   H -> the room's earliest deadline (rooms with live sessions)
--   base..'off'             zset   H US userId -> lastDisconnected (offline members, for retention)
--   base..'empty'           zset   H -> when its last member was forgotten while it was watched
--   base..'w:'..org         zset   userId, all scored 0: who is online (has a live session), by userId
--   base..'kicked'          zset   org US userId US sessionId -> until when an administrator's
--                                  kick keeps the window out
--   base..'wh'              stream member events for webhooks {e = type, o = org, r = roomId,
--                                  u = userId, at}, while base..'wh:on' (set by nodes that send
--                                  webhooks, with a TTL) holds the most kept; base..'wh:at' is the
--                                  id of the last one handled
-- Every change that watchers can see raises the room's version and is published on the shard
-- channel base..'e:'..H as {v, m = member}; a member forgotten after the offline retention as
-- {v, m, x = 1}; a room an administrator removed as {v, r = 1}. A session an administrator ended
-- is published on base..'kick' as {t = token, r = roomId}, for the node whose client holds it;
-- `users import` publishes an organization whose users changed on base..'users'. Shard channels
-- (SPUBLISH) live in the slot of their name's {pX}, with the keys they are about: in a Redis
-- Cluster they reach the nodes subscribed on that shard only, not the whole cluster.
-- Times are the callers' clocks (ms since the epoch).

local US = '\31'
local RS = '\30'

local function keysOf(base, H)
  local r = base .. 'r:' .. H
  return {meta = r .. ':meta', m = r .. ':m', p = r .. ':p', d = r .. ':d', s = r .. ':s', dl = r .. ':dl',
    t = r .. ':t', due = base .. 'due', off = base .. 'off', empty = base .. 'empty', ev = base .. 'e:' .. H}
end

local function number(n)
  return string.format('%.0f', n)
end

-- The organization's counters of one room's keys.
local function countersOf(base, k)
  return base .. 'o:' .. redis.call('HGET', k.meta, 'org')
end

local function count(counters, field, by)
  local n = redis.call('HINCRBY', counters, field, by)
  if n <= 0 then
    redis.call('HDEL', counters, field)
  end
end

-- A user of the organization: {r = rooms they are a member of, s = {{sid, H}, ...} their live
-- sessions}. One field per user, not one per session: a user has a few sessions at most.
local function loadUser(counters, user)
  local raw = redis.call('HGET', counters, US .. user)
  local u = {r = 0, s = {}}
  if not raw then
    return u
  end
  local first = true
  for part in string.gmatch(raw, '[^' .. RS .. ']+') do
    if first then
      u.r = tonumber(part)
      first = false
    else
      local cut = string.find(part, US, 1, true)
      u.s[#u.s + 1] = {string.sub(part, 1, cut - 1), string.sub(part, cut + 1)}
    end
  end
  return u
end

local function saveUser(counters, user, u)
  if u.r <= 0 and #u.s == 0 then
    redis.call('HDEL', counters, US .. user)
    return
  end
  local parts = {number(math.max(0, u.r))}
  for _, entry in ipairs(u.s) do
    parts[#parts + 1] = entry[1] .. US .. entry[2]
  end
  redis.call('HSET', counters, US .. user, table.concat(parts, RS))
end

-- The room of a live session of the user's, or nil.
local function roomOfSession(u, sid)
  for _, entry in ipairs(u.s) do
    if entry[1] == sid then
      return entry[2]
    end
  end
  return nil
end

-- The rooms the user has live sessions in (where they are online), each once.
local function onlineRooms(u)
  local seen, rooms = {}, {}
  for _, entry in ipairs(u.s) do
    if not seen[entry[2]] then
      seen[entry[2]] = true
      rooms[#rooms + 1] = entry[2]
    end
  end
  return rooms
end

-- One of the user's live sessions ends; with their last they are offline everywhere.
local function userSessionEnds(base, counters, org, user, sid)
  local u = loadUser(counters, user)
  for i, entry in ipairs(u.s) do
    if entry[1] == sid then
      table.remove(u.s, i)
      break
    end
  end
  if #u.s == 0 then
    redis.call('ZREM', base .. 'w:' .. org, user)
  end
  saveUser(counters, user, u)
end

local function userLeavesRoom(counters, user)
  local u = loadUser(counters, user)
  u.r = u.r - 1
  saveUser(counters, user, u)
end

local function isAway(m)
  return m.o == 1 and m.c > 0 and m.a == m.c
end

local function parseMember(raw)
  local o, ld, j, c, a = string.match(raw, '^(%d+),(%d+),(%d+),(%d+),(%d+)$')
  return {o = tonumber(o), ld = tonumber(ld), j = tonumber(j), c = tonumber(c), a = tonumber(a)}
end

local function loadMember(k, user)
  local raw = redis.call('HGET', k.m, user)
  if raw then
    return parseMember(raw)
  end
  return nil
end

local function saveMember(k, user, m)
  redis.call('HSET', k.m, user, number(m.o) .. ',' .. number(m.ld) .. ',' .. number(m.j) .. ',' .. number(m.c) .. ','
    .. number(m.a))
end

-- A session token is its room's H, a dot and its own part; a room keeps the own part only.
local function ownPart(token)
  return string.sub(token, 18)
end

-- A session: {u = user, a = 1 if idle, n = node, t = the token's own part}.
local function loadSession(k, skey)
  local raw = redis.call('HGET', k.s, skey)
  if not raw then
    return nil
  end
  local cut = string.find(skey, US, 1, true)
  return {u = string.sub(skey, 1, cut - 1), a = tonumber(string.sub(raw, 1, 1)), n = string.sub(raw, 2, 17),
    t = string.sub(raw, 18)}
end

local function saveSession(k, skey, s)
  redis.call('HSET', k.s, skey, number(s.a) .. s.n .. s.t)
end

-- What nodes are told and read of a member; `profile` is name US image, or false; `data` is
-- compact JSON, or false.
-- A member's name and image, kept as name US image. Split at the last US: a name may hold any
-- character, an image (a URL the server checked) never holds a control character.
local function splitProfile(profile)
  if not profile then
    return '', ''
  end
  return string.match(profile, '^(.*)' .. US .. '(.*)$')
end

local function wire(user, m, profile, data)
  local name, image = splitProfile(profile)
  return {u = user, o = m.o, ld = m.ld, j = m.j, a = isAway(m) and 1 or 0, d = data or '', n = name, i = image}
end

-- Member events, as Presence::MemberEvent::Type numbers them.
local JOINED, LEFT, AWAY, ACTIVE, UPDATED = 0, 1, 2, 3, 4

-- A member event for webhooks, recorded only while a node sends them.
local function record(base, k, event, user, at)
  local most = redis.call('GET', base .. 'wh:on')
  if not most then
    return
  end
  local meta = redis.call('HMGET', k.meta, 'org', 'room')
  redis.call('XADD', base .. 'wh', 'MAXLEN', '~', most, '*', 'e', event, 'o', meta[1], 'r', meta[2], 'u', user,
    'at', number(at))
end

local function recordAway(base, k, user, m, at)
  record(base, k, isAway(m) and AWAY or ACTIVE, user, at)
end

local function publish(k, H, user, m)
  local v = redis.call('HINCRBY', k.meta, 'v', 1)
  redis.call('SPUBLISH', k.ev,
    cjson.encode({v = v, m = wire(user, m, redis.call('HGET', k.p, user), redis.call('HGET', k.d, user))}))
end

-- The room's entry of the due index follows its earliest deadline.
local function reindex(k, H)
  local first = redis.call('ZRANGE', k.dl, 0, 0, 'WITHSCORES')
  if #first == 0 then
    redis.call('ZREM', k.due, H)
  else
    redis.call('ZADD', k.due, first[2], H)
  end
end

local function endSession(base, k, H, skey, at)
  local s = loadSession(k, skey)
  if not s then
    return false
  end
  local counters = countersOf(base, k)
  redis.call('HDEL', k.s, skey)
  redis.call('HDEL', k.t, s.t)
  redis.call('ZREM', k.dl, skey)
  count(counters, 's', -1)
  userSessionEnds(base, counters, redis.call('HGET', k.meta, 'org'), s.u, string.sub(skey, string.len(s.u) + 2))
  local m = loadMember(k, s.u)
  local wasAway = isAway(m)
  m.c = math.max(0, m.c - 1)
  if s.a == 1 then
    m.a = math.max(0, m.a - 1)
  end
  local changed = false
  if m.c == 0 then
    -- The last session: the member goes offline, their data with them.
    m.o = 0
    m.ld = at
    m.a = 0
    redis.call('HDEL', k.d, s.u)
    redis.call('ZADD', k.off, at, H .. US .. s.u)
    changed = true
  elseif isAway(m) ~= wasAway then
    changed = true
  end
  saveMember(k, s.u, m)
  if changed then
    publish(k, H, s.u, m)
    if m.o == 0 then
      record(base, k, LEFT, s.u, at)
    else
      recordAway(base, k, s.u, m, at)
    end
  end
  return true
end

-- Ends the sessions of one room whose deadline passed, as of their deadline.
local function expireRoom(base, k, H, now)
  local due = redis.call('ZRANGEBYSCORE', k.dl, '-inf', now, 'WITHSCORES')
  local ended = 0
  for i = 1, #due, 2 do
    if endSession(base, k, H, due[i], tonumber(due[i + 1])) then
      ended = ended + 1
    end
  end
  if ended > 0 then
    reindex(k, H)
  end
  return ended
end

-- Drops a room nobody is a member of, unless a node listens to it: a watched room stays, as on
-- one server, and is tried again by the sweep. Returns 1 if it was dropped.
local function dropIfEmpty(base, k, H)
  if redis.call('HLEN', k.m) > 0 then
    redis.call('ZREM', k.empty, H)
    return 0
  end
  local listeners = redis.call('PUBSUB', 'SHARDNUMSUB', k.ev)
  if tonumber(listeners[2]) > 0 then
    redis.call('ZADD', k.empty, 'NX', 0, H)
    return 0
  end
  redis.call('ZREM', k.empty, H)
  local counters = countersOf(base, k)
  count(counters, 'r', -1)
  redis.call('DEL', k.meta, k.m, k.p, k.d, k.s, k.dl, k.t)
  return 1
end

-- Forgets an offline member, gone longer than the retention.
local function forget(base, k, H, user)
  redis.call('ZREM', k.off, H .. US .. user)
  local m = loadMember(k, user)
  if not m or m.o == 1 then
    return 0
  end
  redis.call('HDEL', k.m, user)
  redis.call('HDEL', k.p, user)
  redis.call('HDEL', k.d, user)
  userLeavesRoom(countersOf(base, k), user)
  local v = redis.call('HINCRBY', k.meta, 'v', 1)
  redis.call('SPUBLISH', k.ev, cjson.encode({v = v, m = wire(user, m, false, false), x = 1}))
  return 1
end

local function refuse(kind)
  return redis.error_reply('PRESENCE_REFUSED ' .. kind)
end

-- KEYS: meta. ARGV: base, H, node, org, room, user, sessionId, roomToken (if new), sessionToken
-- (if new), interval, away (0/1), now, name, image, and the quotas: sessions per user, per
-- organization, rooms per user, per organization.
-- Returns {roomToken, sessionToken, 1 if the session is new}; a refusal is an error
-- "PRESENCE_REFUSED <why>".
local function heartbeat(keys, args)
  local base, H, node = args[1], args[2], args[3]
  local org, room, user, sid = args[4], args[5], args[6], args[7]
  local interval, away, now = tonumber(args[10]), args[11] == '1', tonumber(args[12])
  local name, image = args[13], args[14]
  local maxUserSessions, maxOrgSessions = tonumber(args[15]), tonumber(args[16])
  local maxUserRooms, maxOrgRooms = tonumber(args[17]), tonumber(args[18])
  if string.len(node) ~= 16 then
    return redis.error_reply('PRESENCE a node id has 16 characters')
  end
  local k = keysOf(base, H)
  local counters = base .. 'o:' .. org
  local roomToken = redis.call('HGET', k.meta, 'token')
  if roomToken and (redis.call('HGET', k.meta, 'org') ~= org or redis.call('HGET', k.meta, 'room') ~= room) then
    return redis.error_reply('PRESENCE room hash collision')
  end
  -- What is due has ended first: a session past its deadline is not renewed but begun again.
  if roomToken then
    expireRoom(base, k, H, now)
  end
  local skey = user .. US .. sid
  local deadline = now + math.floor(interval * 2.5)
  local s = loadSession(k, skey)
  if s then
    redis.call('ZADD', k.dl, deadline, skey)
    reindex(k, H)
    local awayNow = away and 1 or 0
    -- A session's node is the one its last heartbeat came through: a client that reconnected
    -- elsewhere is looked after there.
    if s.a ~= awayNow or s.n ~= node then
      local m = loadMember(k, user)
      local wasAway = isAway(m)
      m.a = m.a + awayNow - s.a
      s.a = awayNow
      s.n = node
      saveSession(k, skey, s)
      saveMember(k, user, m)
      if isAway(m) ~= wasAway then
        publish(k, H, user, m)
        recordAway(base, k, user, m, now)
      end
    end
    return {roomToken, H .. '.' .. s.t, 0}
  end

  -- A new session. An administrator's kick keeps the window out a while.
  local refusedUntil = redis.call('ZSCORE', base .. 'kicked', org .. US .. skey)
  if refusedUntil and tonumber(refusedUntil) > now then
    return refuse('kicked')
  end
  -- A sessionId names one window in one room (one past its deadline elsewhere has ended).
  local u = loadUser(counters, user)
  local elsewhere = roomOfSession(u, sid)
  if elsewhere and elsewhere ~= H then
    expireRoom(base, keysOf(base, elsewhere), elsewhere, now)
    u = loadUser(counters, user)
    if roomOfSession(u, sid) then
      return refuse('session_in_other_room')
    end
  end
  if #u.s >= maxUserSessions then
    return refuse('sessions_per_user')
  end
  if tonumber(redis.call('HGET', counters, 's') or '0') >= maxOrgSessions then
    return refuse('sessions_per_organization')
  end
  if not roomToken and tonumber(redis.call('HGET', counters, 'r') or '0') >= maxOrgRooms then
    return refuse('rooms_per_organization')
  end
  local m = roomToken and loadMember(k, user)
  if not m and u.r >= maxUserRooms then
    return refuse('rooms_per_user')
  end

  if not roomToken then
    roomToken = args[8]
    redis.call('HSET', k.meta, 'token', roomToken, 'org', org, 'room', room)
    count(counters, 'r', 1)
  end
  redis.call('ZREM', k.empty, H)
  local token = args[9]
  s = {u = user, t = ownPart(token), a = away and 1 or 0, n = node}
  saveSession(k, skey, s)
  redis.call('HSET', k.t, s.t, skey)
  redis.call('ZADD', k.dl, deadline, skey)
  count(counters, 's', 1)
  if #u.s == 0 then
    redis.call('ZADD', base .. 'w:' .. org, 0, user)
  end
  u.s[#u.s + 1] = {sid, H}
  if not m then
    u.r = u.r + 1
  end
  saveUser(counters, user, u)
  reindex(k, H)
  m = m or {o = 0, ld = 0, j = 0, c = 0, a = 0}
  local wasAway = isAway(m)
  local changed = false
  local event = nil
  if m.c == 0 then
    event = JOINED
    m.o = 1
    m.j = redis.call('HINCRBY', k.meta, 'seq', 1)
    m.a = 0
    redis.call('ZREM', k.off, H .. US .. user)
    changed = true
  end
  m.c = m.c + 1
  m.a = m.a + s.a
  if name ~= '' or image ~= '' then
    local profile = name .. US .. image
    if redis.call('HGET', k.p, user) ~= profile then
      redis.call('HSET', k.p, user, profile)
      changed = true
    end
  end
  if not event and isAway(m) ~= wasAway then
    changed = true
    event = isAway(m) and AWAY or ACTIVE
  end
  saveMember(k, user, m)
  if changed then
    publish(k, H, user, m)
  end
  if event then
    record(base, k, event, user, now)
  end
  return {roomToken, token, 1}
end

-- The live session a token names, once what is due has ended: its key, or nil.
local function liveSession(base, k, H, token, now)
  local skey = redis.call('HGET', k.t, ownPart(token))
  if not skey then
    return nil
  end
  expireRoom(base, k, H, now)
  return redis.call('HGET', k.t, ownPart(token))
end

-- KEYS: meta. ARGV: base, H, sessionToken, org, user, data (compact JSON; '{}' for none), now.
-- Returns 1 if the member's data is now `data`, 0 if no live session has the token, -1 if the
-- session is another user's.
local function update(keys, args)
  local base, H = args[1], args[2]
  local k = keysOf(base, H)
  local skey = liveSession(base, k, H, args[3], tonumber(args[7]))
  if not skey then
    return 0
  end
  local s = loadSession(k, skey)
  if redis.call('HGET', k.meta, 'org') ~= args[4] or s.u ~= args[5] then
    return -1
  end
  local data = args[6]
  local current = redis.call('HGET', k.d, s.u)
  if (data == '{}' and not current) or current == data then
    return 1
  end
  if data == '{}' then
    redis.call('HDEL', k.d, s.u)
  else
    redis.call('HSET', k.d, s.u, data)
  end
  publish(k, H, s.u, loadMember(k, s.u))
  record(base, k, UPDATED, s.u, tonumber(args[7]))
  return 1
end

-- KEYS: meta. ARGV: base, H, sessionToken, now. Returns 1 if a session ended.
local function disconnect(keys, args)
  local base, H = args[1], args[2]
  local k = keysOf(base, H)
  local now = tonumber(args[4])
  local skey = liveSession(base, k, H, args[3], now)
  if not skey then
    return 0
  end
  endSession(base, k, H, skey, now)
  reindex(k, H)
  return 1
end

-- KEYS: meta. ARGV: base, H, sessionToken, deadline, node. The session ends by `deadline`
-- unless heartbeated again; a sooner deadline is kept. Only the node that looks after the
-- session may shorten it: once a client's heartbeat reached another node (a reconnect that raced
-- the old socket's close), the old node's word no longer counts. Returns 1 if the session is live.
local function expireWithin(keys, args)
  local base, H = args[1], args[2]
  local k = keysOf(base, H)
  local skey = redis.call('HGET', k.t, ownPart(args[3]))
  if not skey then
    return 0
  end
  local s = loadSession(k, skey)
  if not s or s.n ~= args[5] then
    return 1
  end
  local deadline = tonumber(args[4])
  local current = tonumber(redis.call('ZSCORE', k.dl, skey))
  if current and current > deadline then
    redis.call('ZADD', k.dl, deadline, skey)
    reindex(k, H)
  end
  return 1
end

-- KEYS: meta. ARGV: base, H, now, retention cutoff. The room as it is now: sessions past their
-- deadline are ended first, so that no reader sees a ghost between two sweeps, and members gone
-- since before the cutoff are left out (the sweep forgets them).
-- Returns {token or false, version, org, room, user, member json, ...}.
local function read(keys, args)
  local k = keysOf(args[1], args[2])
  local cutoff = tonumber(args[4])
  expireRoom(args[1], k, args[2], tonumber(args[3]))
  local meta = redis.call('HMGET', k.meta, 'token', 'v', 'org', 'room')
  local out = {meta[1] or false, tonumber(meta[2] or '0'), meta[3] or '', meta[4] or ''}
  if not meta[1] then
    return out
  end
  local profiles, data = {}, {}
  local listed = redis.call('HGETALL', k.p)
  for i = 1, #listed, 2 do
    profiles[listed[i]] = listed[i + 1]
  end
  listed = redis.call('HGETALL', k.d)
  for i = 1, #listed, 2 do
    data[listed[i]] = listed[i + 1]
  end
  local all = redis.call('HGETALL', k.m)
  for i = 1, #all, 2 do
    local m = parseMember(all[i + 1])
    if m.o == 1 or m.ld >= cutoff then
      out[#out + 1] = all[i]
      out[#out + 1] = cjson.encode(wire(all[i], m, profiles[all[i]] or false, data[all[i]] or false))
    end
  end
  return out
end

-- KEYS: the partition's due index. ARGV: base, now, most rooms, retention cutoff. Ends the
-- sessions whose deadline passed, as of their deadline; forgets members offline since before the
-- cutoff and drops the rooms left with nobody. Returns {sessions ended, members forgotten, rooms
-- dropped}.
local function sweep(keys, args)
  local base, now, most, cutoff = args[1], tonumber(args[2]), tonumber(args[3]), tonumber(args[4])
  local rooms = redis.call('ZRANGEBYSCORE', keys[1], '-inf', now, 'LIMIT', 0, most)
  local ended, forgotten, dropped = 0, 0, 0
  for _, H in ipairs(rooms) do
    local k = keysOf(base, H)
    ended = ended + expireRoom(base, k, H, now)
    reindex(k, H)
  end
  redis.call('ZREMRANGEBYSCORE', base .. 'kicked', '-inf', now)
  local touched = {}
  local old = redis.call('ZRANGEBYSCORE', base .. 'off', '-inf', '(' .. number(cutoff), 'LIMIT', 0, most)
  for _, entry in ipairs(old) do
    local cut = string.find(entry, US, 1, true)
    local H, user = string.sub(entry, 1, cut - 1), string.sub(entry, cut + 1)
    forgotten = forgotten + forget(base, keysOf(base, H), H, user)
    touched[H] = true
  end
  -- Rooms that were watched when their last member went, once nobody listens any more.
  for _, H in ipairs(redis.call('ZRANGE', base .. 'empty', 0, most - 1)) do
    touched[H] = true
  end
  for H in pairs(touched) do
    dropped = dropped + dropIfEmpty(base, keysOf(base, H), H)
  end
  return {ended, forgotten, dropped}
end

-- KEYS: the organization's online index. ARGV: base, org, after (a userId, or ''), most users,
-- most characters. Who is online in the organization, by userId, after `after`: {cursor or '',
-- userId, away (0/1), name, image, number of rooms, roomId, roomId, ..., then the next user, ...}.
-- `cursor` is the last userId given when more users follow.
local function online(keys, args)
  local base, org, after = args[1], args[2], args[3]
  local most, mostCharacters = tonumber(args[4]), tonumber(args[5])
  local counters = base .. 'o:' .. org
  local users = redis.call('ZRANGEBYLEX', keys[1], after == '' and '-' or ('(' .. after), '+', 'LIMIT', 0, most + 1)
  local out = {''}
  local characters, given, last = 0, 0, nil
  for _, user in ipairs(users) do
    if given >= most or characters >= mostCharacters then
      break
    end
    local away, profile, rooms = true, false, {}
    for _, H in ipairs(onlineRooms(loadUser(counters, user))) do
      local k = keysOf(base, H)
      local roomId = redis.call('HGET', k.meta, 'room')
      if roomId then
        local m = loadMember(k, user)
        away = away and m ~= nil and isAway(m)
        rooms[#rooms + 1] = roomId
        characters = characters + string.len(roomId) + 3
        profile = profile or redis.call('HGET', k.p, user)
      end
    end
    local name, image = splitProfile(profile)
    table.sort(rooms)
    out[#out + 1] = user
    out[#out + 1] = away and 1 or 0
    out[#out + 1] = name
    out[#out + 1] = image
    out[#out + 1] = #rooms
    for _, roomId in ipairs(rooms) do
      out[#out + 1] = roomId
    end
    characters = characters + string.len(user) + 32
    given = given + 1
    last = user
  end
  if given < #users and last then
    out[1] = last
  end
  return out
end

-- KEYS: the organization's online index. ARGV: base, org, userId. The roomIds where the user is
-- online.
local function whereis(keys, args)
  local base, org, user = args[1], args[2], args[3]
  local rooms = {}
  for _, H in ipairs(onlineRooms(loadUser(base .. 'o:' .. org, user))) do
    local roomId = redis.call('HGET', keysOf(base, H).meta, 'room')
    if roomId then
      rooms[#rooms + 1] = roomId
    end
  end
  table.sort(rooms)
  return rooms
end

-- Ends, as an administrator's act, the room's sessions (of `user` only, unless it is ''): each is
-- published on base..'kick' for its node to tell its client, and kept out for `memory` ms past its
-- deadline: a client between two connections comes back with the same sessionId within that.
local function kickSessions(base, k, H, user, now, memory)
  local org, roomId = redis.call('HGET', k.meta, 'org'), redis.call('HGET', k.meta, 'room')
  local ending = {}
  local all = redis.call('HGETALL', k.s)
  for i = 1, #all, 2 do
    local skey = all[i]
    if user == '' or string.sub(skey, 1, string.len(user) + 1) == user .. US then
      ending[#ending + 1] = skey
    end
  end
  for _, skey in ipairs(ending) do
    local s = loadSession(k, skey)
    local deadline = tonumber(redis.call('ZSCORE', k.dl, skey) or now)
    redis.call('ZADD', base .. 'kicked', math.max(now, deadline) + memory, org .. US .. skey)
    redis.call('SPUBLISH', base .. 'kick', cjson.encode({t = H .. '.' .. s.t, r = roomId}))
    endSession(base, k, H, skey, now)
  end
  reindex(k, H)
  return #ending
end

-- KEYS: meta. ARGV: base, H, org, userId, now, memory (ms). Returns how many sessions ended.
local function kick(keys, args)
  local base, H = args[1], args[2]
  local k = keysOf(base, H)
  if redis.call('HGET', k.meta, 'org') ~= args[3] then
    return 0 -- no such room in the organization
  end
  expireRoom(base, k, H, tonumber(args[5]))
  return kickSessions(base, k, H, args[4], tonumber(args[5]), tonumber(args[6]))
end

-- KEYS: meta. ARGV: base, H, org, now, memory (ms). Ends every session in the room and forgets
-- it: its members, its token. Watchers are told ({v, r = 1}). Returns how many sessions ended.
local function removeRoom(keys, args)
  local base, H = args[1], args[2]
  local k = keysOf(base, H)
  if redis.call('HGET', k.meta, 'org') ~= args[3] then
    return 0
  end
  local now = tonumber(args[4])
  expireRoom(base, k, H, now)
  local ended = kickSessions(base, k, H, '', now, tonumber(args[5]))
  local counters = countersOf(base, k)
  local members = redis.call('HKEYS', k.m)
  for _, user in ipairs(members) do
    redis.call('ZREM', k.off, H .. US .. user)
    userLeavesRoom(counters, user)
  end
  local v = redis.call('HINCRBY', k.meta, 'v', 1)
  redis.call('SPUBLISH', k.ev, cjson.encode({v = v, r = 1}))
  redis.call('ZREM', k.empty, H)
  count(counters, 'r', -1)
  redis.call('DEL', k.meta, k.m, k.p, k.d, k.s, k.dl, k.t)
  return ended
end

-- KEYS: the partition's event stream. ARGV: base, after (a stream id, or '' for where the last
-- handled one left off), most. The events after it: {id, e, o, r, u, at, id, ...}; the first
-- element is the id they follow.
local function events(keys, args)
  local base, after, most = args[1], args[2], tonumber(args[3])
  if after == '' then
    after = redis.call('GET', base .. 'wh:at') or '0-0'
  end
  local out = {after}
  local read = redis.call('XRANGE', keys[1], '(' .. after, '+', 'COUNT', most)
  for _, entry in ipairs(read) do
    local f = {}
    for i = 1, #entry[2], 2 do
      f[entry[2][i]] = entry[2][i + 1]
    end
    out[#out + 1] = entry[1]
    out[#out + 1] = f.e
    out[#out + 1] = f.o
    out[#out + 1] = f.r
    out[#out + 1] = f.u
    out[#out + 1] = f.at
  end
  return out
end

-- KEYS: the partition's event stream. ARGV: base, id. The events up to `id` were handled.
local function eventsHandled(keys, args)
  local base, id = args[1], args[2]
  redis.call('SET', base .. 'wh:at', id)
  redis.call('XTRIM', keys[1], 'MINID', id)
  return 1
end

-- KEYS: the partition's due index. ARGV: base, node, deadline, cursor ('0' to begin). The node
-- is gone: its sessions end by `deadline` (the close grace) unless another node takes them over
-- with a heartbeat. A node's sessions are found by scanning the rooms with live sessions, a batch
-- per call (a node dies rarely; an index of them would cost every session memory and every
-- heartbeat a command). Returns {cursor to go on from ('0': done), sessions it held}.
local function orphan(keys, args)
  local base, node, deadline = args[1], args[2], tonumber(args[3])
  local scanned = redis.call('ZSCAN', keys[1], args[4], 'COUNT', 100)
  local rooms, held = scanned[2], 0
  for i = 1, #rooms, 2 do
    local H = rooms[i]
    local k = keysOf(base, H)
    local sessions = redis.call('HGETALL', k.s)
    local moved = false
    for j = 1, #sessions, 2 do
      if string.sub(sessions[j + 1], 2, 17) == node then
        held = held + 1
        local current = tonumber(redis.call('ZSCORE', k.dl, sessions[j]))
        if current and current > deadline then
          redis.call('ZADD', k.dl, deadline, sessions[j])
          moved = true
        end
      end
    end
    if moved then
      reindex(k, H)
    end
  end
  return {scanned[1], held}
end

-- KEYS: the lease. ARGV: node, ttl (ms). Takes or renews the lease of the node that sweeps
-- deadlines and notices dead nodes; returns 1 if `node` holds it.
local function lease(keys, args)
  local holder = redis.call('GET', keys[1])
  if holder == args[1] then
    redis.call('PEXPIRE', keys[1], tonumber(args[2]))
    return 1
  end
  if not holder then
    redis.call('SET', keys[1], args[1], 'PX', tonumber(args[2]))
    return 1
  end
  return 0
end

redis.register_function('presence1_heartbeat', heartbeat)
redis.register_function('presence1_update', update)
redis.register_function('presence1_disconnect', disconnect)
redis.register_function('presence1_expire_within', expireWithin)
redis.register_function('presence1_read', read)
redis.register_function('presence1_sweep', sweep)
redis.register_function('presence1_orphan', orphan)
redis.register_function('presence1_events', events)
redis.register_function('presence1_events_handled', eventsHandled)
redis.register_function('presence1_online', online)
redis.register_function('presence1_whereis', whereis)
redis.register_function('presence1_kick', kick)
redis.register_function('presence1_remove_room', removeRoom)
redis.register_function('presence1_lease', lease)
