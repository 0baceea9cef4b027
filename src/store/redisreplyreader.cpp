#include "redisreplyreader.h"

#include <hiredis/read.h>

#include <algorithm>

namespace Presence {

namespace {

// hiredis hands each value to these as it is read, with the task that says where it goes: the
// root of a reply, or the next element of an array being read (whose RedisReply is the parent
// task's object). An array's elements are appended in order as they come; only the array being
// filled and its ancestors are ever a task's object, and appending to a list moves only
// elements already complete.
RedisReply *place(const redisReadTask *task, RedisReply &&value)
{
    if (!task->parent)
        return new RedisReply(std::move(value));
    auto *parent = static_cast<RedisReply *>(task->parent->obj);
    parent->elements.append(std::move(value));
    return &parent->elements.last();
}

void *createString(const redisReadTask *task, char *text, size_t length)
{
    if (length > size_t(RedisReplyReader::MaxStringLength))
        return nullptr;
    RedisReply value;
    switch (task->type) {
    case REDIS_REPLY_ERROR:
        value.type = RedisReply::Error;
        break;
    case REDIS_REPLY_STATUS:
        value.type = RedisReply::Status;
        break;
    default:
        value.type = RedisReply::String;
        break;
    }
    value.string = QByteArray(text, qsizetype(length));
    return place(task, std::move(value));
}

void *createArray(const redisReadTask *task, int elements)
{
    if (elements < 0 || elements > RedisReplyReader::MaxElements)
        return nullptr;
    RedisReply value;
    value.type = RedisReply::Array;
    value.elements.reserve(std::min(elements, 64)); // the rest as the elements come
    return place(task, std::move(value));
}

void *createInteger(const redisReadTask *task, long long integer)
{
    RedisReply value;
    value.type = RedisReply::Integer;
    value.integer = integer;
    return place(task, std::move(value));
}

void *createNil(const redisReadTask *task)
{
    return place(task, RedisReply());
}

void freeObject(void *reply)
{
    // Only roots are freed: an element belongs to its array.
    delete static_cast<RedisReply *>(reply);
}

redisReplyObjectFunctions functions = {createString, createArray, createInteger, createNil, freeObject};

} // namespace

class RedisReplyReaderPrivate
{
public:
    redisReader *reader = redisReaderCreateWithFunctions(&functions);
    QString error;
};

RedisReplyReader::RedisReplyReader()
    : d(std::make_unique<RedisReplyReaderPrivate>())
{
}

RedisReplyReader::~RedisReplyReader()
{
    redisReaderFree(d->reader);
}

void RedisReplyReader::feed(const char *data, qsizetype size)
{
    if (!d->error.isEmpty() || size <= 0)
        return;
    if (redisReaderFeed(d->reader, data, size_t(size)) != REDIS_OK)
        d->error = QStringLiteral("cannot hold Redis's reply");
}

RedisReplyReader::Status RedisReplyReader::next(RedisReply *reply)
{
    if (!d->error.isEmpty())
        return Failed;
    void *raw = nullptr;
    if (redisReaderGetReply(d->reader, &raw) != REDIS_OK) {
        // A count or length refused above is reported by hiredis as running out of memory.
        d->error = d->reader->err == REDIS_ERR_OOM
            ? QStringLiteral("a reply from Redis larger than any it sends")
            : QStringLiteral("malformed reply from Redis: %1").arg(QString::fromUtf8(d->reader->errstr));
        return Failed;
    }
    if (!raw)
        return NeedMore;
    auto *root = static_cast<RedisReply *>(raw);
    *reply = std::move(*root);
    delete root;
    return Reply;
}

QString RedisReplyReader::error() const
{
    return d->error;
}

} // namespace Presence
