#pragma once

#include "socketbudget.h"

#include <QSslSocket>
#include <QTcpSocket>

namespace Presence {

/// An accepted socket with its SocketBudget: QTcpSocket for plain connections, QSslSocket
/// for TLS (one template, so both get the same accounting).
template<class Base>
class BudgetedSocket : public Base, public SocketBudget
{
public:
    explicit BudgetedSocket(QObject *parent = nullptr)
        : Base(parent)
        , SocketBudget(this)
    {
        // The socket's first connection, so it runs before any reader's slot.
        QObject::connect(this, &QIODevice::readyRead, this, [this] { beforeRead(); });
    }
};

using BudgetedTcpSocket = BudgetedSocket<QTcpSocket>;
using BudgetedSslSocket = BudgetedSocket<QSslSocket>;

} // namespace Presence
