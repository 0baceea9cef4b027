#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QString>

/// One raw HTTP exchange: writes `request` and reads until the server closes.
QByteArray http(quint16 port, const QByteArray &request, int timeoutMs = 5000);
/// The status code of a raw HTTP answer.
int status(const QByteArray &response);
/// A sample's value in a Prometheus text page (0 when absent).
quint64 metric(const QByteArray &metrics, const QString &name);
/// A process's resident memory in KiB, from /proc.
qint64 residentKiB(qint64 pid);
