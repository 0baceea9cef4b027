#include "refreshtokenstore_p.h"

#include <QLoggingCategory>
#include <QPointer>

#include <qt6keychain/keychain.h>

namespace Presence {

Q_DECLARE_LOGGING_CATEGORY(lcSignIn)

namespace {

const QString Service = QStringLiteral("Presence sign-in");

// A job belongs to no one and deletes itself once finished: the keychain's answer may come
// after its store is gone (libsecret holds on to the job until then).

} // namespace

RefreshTokenStore::RefreshTokenStore(QObject *parent)
    : QObject(parent)
{
}

void RefreshTokenStore::setAccount(const QString &issuer, const QString &clientId)
{
    m_key = issuer + QLatin1Char(' ') + clientId;
}

void RefreshTokenStore::read(std::function<void(const QString &token, const QString &error)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(Service);
    job->setKey(m_key);
    connect(job, &QKeychain::Job::finished, this, [job, done = std::move(done)] {
        if (job->error() == QKeychain::NoError)
            done(job->textData(), QString());
        else if (job->error() == QKeychain::EntryNotFound)
            done(QString(), QString());
        else
            done(QString(), job->errorString());
    });
    job->start();
}

void RefreshTokenStore::write(const QString &token)
{
    auto *job = new QKeychain::WritePasswordJob(Service);
    job->setKey(m_key);
    job->setTextData(token);
    connect(job, &QKeychain::Job::finished, this, [job] {
        if (job->error() != QKeychain::NoError)
            qCWarning(lcSignIn) << "the keychain keeps no sign-in:" << job->errorString();
    });
    job->start();
}

void RefreshTokenStore::remove()
{
    auto *job = new QKeychain::DeletePasswordJob(Service);
    job->setKey(m_key);
    connect(job, &QKeychain::Job::finished, this, [job] {
        if (job->error() != QKeychain::NoError && job->error() != QKeychain::EntryNotFound)
            qCWarning(lcSignIn) << "the keychain did not forget the sign-in:" << job->errorString();
    });
    job->start();
}

} // namespace Presence
