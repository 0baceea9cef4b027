#include "limitproxymodel.h"

namespace Presence {

LimitProxyModel::LimitProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(this, signal, this, &LimitProxyModel::countChanged);
    connect(this, &QAbstractItemModel::modelReset, this, &LimitProxyModel::countChanged);
    connect(this, &QAbstractItemModel::layoutChanged, this, &LimitProxyModel::countChanged);
}

void LimitProxyModel::setLimit(int limit)
{
    limit = std::max(0, limit);
    if (m_limit == limit)
        return;
    m_limit = limit;
    invalidateFilter();
    Q_EMIT limitChanged();
}

void LimitProxyModel::setSourceModel(QAbstractItemModel *model)
{
    for (const QMetaObject::Connection &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    QSortFilterProxyModel::setSourceModel(model);
    if (!model)
        return;
    // A row that comes, goes or moves shifts the others across the limit: the proxy's own
    // handling filters only the rows that changed, so the window is filtered again after it.
    const auto refilter = [this] { invalidateFilter(); };
    m_connections = {
        connect(model, &QAbstractItemModel::rowsInserted, this, refilter),
        connect(model, &QAbstractItemModel::rowsRemoved, this, refilter),
        connect(model, &QAbstractItemModel::rowsMoved, this, refilter),
    };
}

bool LimitProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    return !sourceParent.isValid() && sourceRow < m_limit;
}

} // namespace Presence
