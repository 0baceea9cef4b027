#pragma once

#include "error.h"

#include <utility>

namespace Presence {

/// A value or an Error. Engine operations return this instead of throwing.
template<typename T>
class Result
{
public:
    Result(T value)
        : m_value(std::move(value))
    {
    }
    Result(Error error)
        : m_error(std::move(error))
    {
        Q_ASSERT(m_error.isError());
    }

    bool isOk() const { return !m_error.isError(); }
    explicit operator bool() const { return isOk(); }

    const T &value() const & { return m_value; }
    T &value() & { return m_value; }
    T value() && { return std::move(m_value); } // by value: safe in range-for on a temporary
    const Error &error() const { return m_error; }

private:
    T m_value {};
    Error m_error;
};

} // namespace Presence
