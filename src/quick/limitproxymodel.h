#pragma once

#include <QSortFilterProxyModel>
#include <QtQml/qqmlregistration.h>

namespace Presence {

/// The first `limit` rows of a model, kept as its rows come, go and move: the avatars a
/// facepile shows, so no delegate is made for a member it does not show.
class LimitProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(int limit READ limit WRITE setLimit NOTIFY limitChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    explicit LimitProxyModel(QObject *parent = nullptr);

    int limit() const { return m_limit; }
    void setLimit(int limit);
    int count() const { return rowCount(); }

    void setSourceModel(QAbstractItemModel *model) override;

Q_SIGNALS:
    void limitChanged();
    void countChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    int m_limit = 5;
    QList<QMetaObject::Connection> m_connections;
};

} // namespace Presence
