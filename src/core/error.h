#pragma once

#include <QMetaType>
#include <QString>

namespace Presence {

/// An error as the engine and the wire protocol report it: a stable code and a message for people.
class Error
{
public:
    enum Code {
        None,
        InvalidArgument,
        NotFound,
        PermissionDenied,
        Unauthenticated,
        RateLimited,
        TooLarge,
        ResourceExhausted, ///< a quota is used up: retrying soon will not help
        Unavailable, ///< the server cannot serve it now (its shared state is out of reach): retry later
        Internal,
    };

    Error() = default;
    Error(Code code, const QString &message);

    Code code() const { return m_code; }
    QString message() const { return m_message; }
    bool isError() const { return m_code != None; }

    /// The wire name of the code: "invalid_argument", "permission_denied", ...
    QString codeName() const { return codeName(m_code); }
    static QString codeName(Code code);
    /// The code a wire name stands for; Internal for a name this version does not know.
    static Code codeFromName(const QString &name);

private:
    Code m_code = None;
    QString m_message;
};

} // namespace Presence

Q_DECLARE_METATYPE(Presence::Error)
