#pragma once

// Not part of the installed API.

#include "error.h"

#include <QString>

namespace Presence {

/// The errorCode and errorString properties of Room, Peek and OnlineUsers: the last failed
/// call's code and message, both empty after a success.
struct ErrorState
{
    QString code;
    QString message;

    /// Takes `error` (no error: cleared); true when that changed what the properties say.
    bool set(const Error &error)
    {
        const QString nextCode = error.isError() ? error.codeName() : QString();
        if (nextCode == code && error.message() == message)
            return false;
        code = nextCode;
        message = error.message();
        return true;
    }
};

} // namespace Presence
