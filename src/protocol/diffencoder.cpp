#include "diffencoder.h"

#include "protocol.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Presence {

namespace {

template<typename List>
bool sameData(const List &a, const List &b)
{
    return a.size() == b.size() && (a.isEmpty() || a.constData() == b.constData());
}

QByteArray array(const QJsonArray &array)
{
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

} // namespace

QByteArray DiffEncoder::frame(qint64 subscription, const MemberDiff &diff)
{
    if (!sameData(diff.upserted, m_last.upserted) || !sameData(diff.removed, m_last.removed)) {
        m_last = diff;
        m_upsert = diff.upserted.isEmpty() ? QByteArray() : array(Protocol::members(diff.upserted));
        m_remove = diff.removed.isEmpty() ? QByteArray() : array(QJsonArray::fromStringList(diff.removed));
    }
    // Keys in the order Qt's JSON writes them (sorted), so the frame is Protocol::diff's, byte
    // for byte.
    QByteArray frame;
    frame.reserve(64 + m_upsert.size() + m_remove.size());
    frame += '{';
    if (diff.counts)
        frame += "\"online\":" + QByteArray::number(diff.counts->online) + ',';
    if (!m_remove.isEmpty())
        frame += "\"remove\":" + m_remove + ',';
    frame += "\"sub\":" + QByteArray::number(subscription);
    if (diff.counts)
        frame += ",\"total\":" + QByteArray::number(diff.counts->total);
    frame += ",\"type\":\"diff\"";
    if (!m_upsert.isEmpty())
        frame += ",\"upsert\":" + m_upsert;
    frame += '}';
    return frame;
}

} // namespace Presence
