// The few lib0 encodings (varUint, varString, varUint8Array) that Yjs' sync and awareness
// messages use: https://github.com/dmonad/lib0 encoding.js / decoding.js.
#pragma once

#include <QByteArray>
#include <QString>

namespace Presence::Bench::Lib0 {

inline void writeVarUint(QByteArray &out, quint64 value)
{
    while (value > 0x7f) {
        out.append(char(0x80 | (value & 0x7f)));
        value >>= 7;
    }
    out.append(char(value));
}

inline void writeVarBytes(QByteArray &out, const QByteArray &bytes)
{
    writeVarUint(out, quint64(bytes.size()));
    out.append(bytes);
}

inline void writeVarString(QByteArray &out, const QString &text)
{
    writeVarBytes(out, text.toUtf8());
}

// Reads from a message; a read past the end sets ok to false and yields zeros.
class Decoder
{
public:
    explicit Decoder(const QByteArray &data)
        : m_data(data)
    {
    }

    bool ok() const { return m_ok; }
    bool atEnd() const { return m_pos >= m_data.size(); }

    quint64 varUint()
    {
        quint64 value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_pos >= m_data.size()) {
                m_ok = false;
                return 0;
            }
            const auto byte = quint8(m_data[m_pos++]);
            value |= quint64(byte & 0x7f) << shift;
            if (!(byte & 0x80))
                return value;
        }
        m_ok = false;
        return 0;
    }

    QByteArray varBytes()
    {
        const quint64 size = varUint();
        if (!m_ok || size > quint64(m_data.size() - m_pos)) {
            m_ok = false;
            return {};
        }
        const QByteArray bytes = m_data.mid(m_pos, qsizetype(size));
        m_pos += qsizetype(size);
        return bytes;
    }

    QString varString() { return QString::fromUtf8(varBytes()); }

private:
    QByteArray m_data;
    qsizetype m_pos = 0;
    bool m_ok = true;
};

} // namespace Presence::Bench::Lib0
