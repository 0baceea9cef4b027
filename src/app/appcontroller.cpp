#include "appcontroller.h"

#include "client.h"
#include "embeddedserver.h"
#include "joinnotifier.h"
#include "membersmodel.h"
#include "onlineusers.h"
#include "peek.h"
#include "room.h"
#include "stdinreader.h"
#include "trayicon.h"

#ifdef PRESENCE_HAVE_EMBEDDED_LISTENER
#include "embeddedlistener.h"
#endif

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QTextStream>

#include <cstdio>

namespace Presence {

namespace {

struct Person
{
    const char *userId;
    const char *name;
    const char *image; // empty: shown with initials
};
// The demo people. Katherine has no picture, to show the initials avatar.
const Person DemoPeople[] = {
    {"ada", "Ada Lovelace", "qrc:/avatars/ada.png"},
    {"grace", "Grace Hopper", "qrc:/avatars/grace.png"},
    {"alan", "Alan Turing", "qrc:/avatars/alan.png"},
    {"katherine", "Katherine Johnson", ""},
};
constexpr int PeopleCount = int(sizeof DemoPeople / sizeof *DemoPeople);
const QString Organization = QStringLiteral("demo");

} // namespace

AppController::AppController(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_notifier(new JoinNotifier(this))
{
    m_notifier->setEnabled(notificationsEnabled());
    connect(m_notifier, &JoinNotifier::joined, this,
        [this](const QString &roomId, const QString &, const QString &name, const QString &status) {
            QString title = roomId;
            for (const QVariant &document : documents()) {
                if (document.toMap().value(QStringLiteral("roomId")).toString() == roomId)
                    title = document.toMap().value(QStringLiteral("title")).toString();
            }
            const QString sentence = tr("%1 opened %2").arg(name, title);
            m_notified.append(sentence);
            if (m_notified.size() > 20)
                m_notified.removeFirst();
            if (m_tray)
                m_tray->notify(sentence, status);
        });
}

AppController::~AppController()
{
    m_clients.clear(); // before the embedded server they talk to
}

bool AppController::start(QString *error)
{
    m_firstPerson = m_options.person >= 0 ? m_options.person % PeopleCount : 0;
    if (isRemote()) {
        m_where = tr("Connected to %1").arg(m_options.server.toString());
        if (m_options.token.isEmpty()) {
            // No token given: the user signs in at their organization's identity provider.
            QSettings settings;
            m_signIn = new SignIn(this);
            m_signIn->setIssuer(m_options.issuer.isEmpty() ? settings.value(QStringLiteral("signIn/issuer")).toUrl()
                                                           : m_options.issuer);
            m_signIn->setClientId(m_options.clientId.isEmpty()
                    ? settings.value(QStringLiteral("signIn/clientId"), QStringLiteral("presence-desktop")).toString()
                    : m_options.clientId);
            m_signIn->setClient(clientFor(0));
            startSignIn();
        }
        return true;
    }
    m_embedded = std::make_unique<EmbeddedServer>();
    if (m_embedded->open(m_options.database)) {
#ifdef PRESENCE_HAVE_EMBEDDED_LISTENER
        auto *listener = new EmbeddedListener(m_embedded.get());
        if (listener->listen()) {
            m_where = tr("Embedded server · other windows on this machine join at %1").arg(listener->url().toString());
            return true;
        }
        qWarning("presence-desktop: cannot listen on loopback: %s", qPrintable(listener->errorString()));
#endif
        m_where = tr("Embedded server · windows of this process");
        return true;
    }
    // Another instance owns the database: join its rooms over loopback, as the next person.
    const EmbeddedServer::Endpoint endpoint = EmbeddedServer::localEndpoint(m_options.database);
    m_embedded.reset();
    if (!endpoint.isValid()) {
        *error = QStringLiteral("the presence database is in use and no running instance answers for it");
        return false;
    }
    m_loopback = endpoint.url;
    m_loopbackSecret = endpoint.secret;
    if (m_options.person < 0)
        m_firstPerson = 1;
    m_where = tr("Joined the presence-desktop on this machine at %1").arg(m_loopback.toString());
    return true;
}

QVariantList AppController::people() const
{
    QVariantList list;
    for (const Person &p : DemoPeople) {
        list.append(QVariantMap {{QStringLiteral("userId"), QString::fromLatin1(p.userId)},
            {QStringLiteral("name"), QString::fromUtf8(p.name)},
            {QStringLiteral("image"), QString::fromLatin1(p.image)}});
    }
    return list;
}

QVariantList AppController::documents() const
{
    const char *titles[] = {"Roadmap 2027", "Design review: facepile", "Q1 budget", "Release notes 0.1"};
    QVariantList list;
    int i = 0;
    for (const char *title : titles) {
        list.append(QVariantMap {{QStringLiteral("roomId"), QStringLiteral("doc-%1").arg(++i)},
            {QStringLiteral("title"), QString::fromUtf8(title)}});
    }
    return list;
}

Client *AppController::clientFor(int person)
{
    person = isRemote() ? 0 : ((person % PeopleCount) + PeopleCount) % PeopleCount;
    auto &slot = m_clients[person];
    if (slot)
        return slot.get();
    const Person &p = DemoPeople[person];
    const QString userId = QString::fromLatin1(p.userId);
    const QString name = QString::fromUtf8(p.name);
    const QString image = QString::fromLatin1(p.image);
    slot = std::make_unique<Client>();
    // Ours, not the QML engine's: a Client handed to QML must not be garbage-collected.
    QQmlEngine::setObjectOwnership(slot.get(), QQmlEngine::CppOwnership);
    if (m_embedded) {
        slot->setEmbeddedServer(m_embedded.get(), userId, Organization, name, image);
    } else if (!m_loopback.isEmpty()) {
        slot->setToken(EmbeddedServer::mintToken({m_loopback, m_loopbackSecret}, userId, Organization, name, image));
        slot->setServerUrl(m_loopback);
    } else {
        slot->setToken(m_options.token);
        slot->setServerUrl(m_options.server);
    }
    return slot.get();
}

void AppController::startSignIn()
{
    if (m_signIn->issuer().isEmpty())
        return; // the dialog asks where
    // Signed in before: the keychain's sign-in, without the browser. Nothing kept, and told
    // where on the command line: the browser at once; otherwise the dialog asks.
    const bool browser = !m_options.issuer.isEmpty();
    auto restored = std::make_shared<QMetaObject::Connection>();
    *restored = connect(m_signIn, &SignIn::stateChanged, this, [this, restored, browser] {
        if (m_signIn->state() == SignIn::SigningIn)
            return;
        disconnect(*restored);
        if (m_signIn->state() == SignIn::SignedOut && m_signIn->errorString().isEmpty() && browser)
            m_signIn->signIn();
    });
    m_signIn->restore();
}

void AppController::signInAt(const QUrl &issuer, const QString &clientId)
{
    if (!m_signIn)
        return;
    QSettings settings;
    settings.setValue(QStringLiteral("signIn/issuer"), issuer);
    settings.setValue(QStringLiteral("signIn/clientId"), clientId);
    m_signIn->setIssuer(issuer);
    m_signIn->setClientId(clientId);
    m_signIn->signIn();
}

void AppController::registerWindow(QQuickWindow *window, QObject *presence, int person)
{
    m_windows.append({window, presence, person});
    if (auto *room = presence ? presence->property("room").value<Room *>() : nullptr)
        m_notifier->watch(room);
    window->setIcon(TrayIcon::appIcon());
}

bool AppController::notificationsEnabled() const
{
    return QSettings().value(QStringLiteral("notifications/enabled"), false).toBool();
}

void AppController::setNotificationsEnabled(bool enabled)
{
    if (enabled == notificationsEnabled())
        return;
    QSettings().setValue(QStringLiteral("notifications/enabled"), enabled);
    m_notifier->setEnabled(enabled);
    if (m_tray)
        m_tray->setNotificationsEnabled(enabled);
    Q_EMIT notificationsEnabledChanged();
}

void AppController::enableTray()
{
    m_tray = new TrayIcon(this);
    m_tray->setClient(clientFor(m_firstPerson));
    m_tray->setNotificationsEnabled(notificationsEnabled());
    connect(m_tray, &TrayIcon::notificationsToggled, this, &AppController::setNotificationsEnabled);
    connect(m_tray, &TrayIcon::quitRequested, qApp, &QCoreApplication::quit);
}

void AppController::enableAutomation()
{
    auto *reader = new StdinReader(this);
    connect(reader, &StdinReader::lineRead, this, [this](const QByteArray &line) { command(line.trimmed()); });
    reader->start();
}

namespace {

// The objects of type T in an item's tree. A view's delegates are children of the view's
// items, not QObject children of the window, so findChildren() alone misses them.
template<typename T>
QList<T *> objectsIn(QQuickItem *item)
{
    QList<T *> found;
    if (!item)
        return found;
    found += item->findChildren<T *>(Qt::FindDirectChildrenOnly);
    for (QQuickItem *child : item->childItems())
        found += objectsIn<T>(child);
    return found;
}

} // namespace

QJsonArray AppController::state() const
{
    QJsonArray windows;
    for (const Window &w : m_windows) {
        if (!w.window)
            continue;
        QJsonArray members;
        auto *model = w.presence ? w.presence->property("members").value<MembersModel *>() : nullptr;
        for (int i = 0; model && i < model->rowCount(); ++i) {
            const QModelIndex index = model->index(i);
            members.append(
                QJsonObject {{QStringLiteral("userId"), model->data(index, MembersModel::UserIdRole).toString()},
                    {QStringLiteral("online"), model->data(index, MembersModel::OnlineRole).toBool()},
                    {QStringLiteral("status"), model->data(index, MembersModel::StatusRole).toString()}});
        }
        // The document list's facepiles and the "Online now" panel.
        QJsonObject documents;
        for (const Peek *peek : objectsIn<Peek>(w.window->contentItem())) {
            documents.insert(peek->roomId(),
                QJsonObject {
                    {QStringLiteral("online"), peek->onlineCount()}, {QStringLiteral("total"), peek->totalCount()}});
        }
        QJsonArray onlineNow;
        if (const auto *online = objectsIn<OnlineUsers>(w.window->contentItem()).value(0)) {
            for (int i = 0; i < online->rowCount(); ++i)
                onlineNow.append(online->data(online->index(i), OnlineUsers::UserIdRole).toString());
        }
        const auto client = m_clients.find(isRemote() ? 0 : w.person % PeopleCount);
        const QString person = isRemote() ? (client != m_clients.end() ? client->second->userId() : QString())
                                          : QString::fromLatin1(DemoPeople[w.person % PeopleCount].userId);
        // The words on screen: every visible text item, in the app's language.
        QJsonArray texts;
        for (const QQuickItem *item : objectsIn<QQuickItem>(w.window->contentItem())) {
            if (item->isVisible() && item->inherits("QQuickText"))
                texts.append(item->property("text").toString());
        }
        QJsonObject window {{QStringLiteral("title"), w.window->title()}, {QStringLiteral("person"), person},
            {QStringLiteral("texts"), texts}, {QStringLiteral("notifications"), notificationsEnabled()},
            {QStringLiteral("notified"), QJsonArray::fromStringList(m_notified)},
            {QStringLiteral("tray"), m_tray ? m_tray->toolTip() : QString()},
            {QStringLiteral("visibility"), int(w.window->visibility())},
            {QStringLiteral("windowId"), QString::number(w.window->winId())}, {QStringLiteral("members"), members},
            {QStringLiteral("documents"), documents}, {QStringLiteral("onlineNow"), onlineNow}};
        if (m_signIn) {
            static const char *const states[] = {"signedOut", "signingIn", "signedIn"};
            window.insert(QStringLiteral("signIn"), QString::fromLatin1(states[m_signIn->state()]));
            if (auto *dialog = w.window->findChild<QObject *>(QStringLiteral("signInDialog")))
                window.insert(QStringLiteral("signInDialog"), dialog->property("visible").toBool());
        }
        windows.append(window);
    }
    return windows;
}

void AppController::command(const QByteArray &line)
{
    const QList<QByteArray> words = line.split(' ');
    const QByteArray verb = words.value(0);
    const int n = words.value(1).toInt();
    QWindow *target = n >= 0 && n < m_windows.size() ? m_windows.at(n).window.data() : nullptr;
    if (verb == "state") {
        // One line of JSON per answer.
    } else if (verb == "new-window") {
        Q_EMIT newWindowRequested();
    } else if (verb == "minimize" && target) {
        target->showMinimized();
    } else if (verb == "restore" && target) {
        target->showNormal();
    } else if (verb == "status" && target) {
        // "status N some text": types the status of window N.
        QObject *field = target->findChild<QObject *>(QStringLiteral("status"));
        const QByteArray text = line.mid(line.indexOf(' ', line.indexOf(' ') + 1) + 1);
        if (field)
            field->setProperty("text", QString::fromUtf8(words.size() > 2 ? text : QByteArray()));
    } else if (verb == "open" && target) {
        // "open N doc-index": shows another document in window N.
        target->setProperty("documentIndex", words.value(2).toInt());
    } else if (verb == "notifications") {
        // "notifications on|off": the File menu's check.
        setNotificationsEnabled(words.value(1) == "on");
    } else if (verb == "sign-out" && m_signIn) {
        m_signIn->signOut();
    } else if (verb == "quit") {
        QCoreApplication::quit();
        return;
    } else {
        std::printf("{\"error\":\"unknown command\"}\n");
        std::fflush(stdout);
        return;
    }
    std::printf("%s\n", QJsonDocument(state()).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

} // namespace Presence
