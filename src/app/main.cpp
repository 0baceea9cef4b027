// presence-desktop: documents with a live facepile of who is in them.

#include "appcontroller.h"
#include "client.h"
#include "translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>
#include <QLibraryInfo>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QTranslator>

int main(int argc, char *argv[])
{
    // QApplication, not QGuiApplication: the system tray icon is a Widgets class.
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("presence-desktop"));
    QCoreApplication::setOrganizationName(QStringLiteral("Presence"));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Presence"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PRESENCE_VERSION));
    // The user's language: this app's words, then Qt's own (menus, dialogs, --help).
    Presence::Translations::install(QStringLiteral("presence-desktop"));
    QTranslator qt;
    if (qt.load(
            QLocale(), QStringLiteral("qt"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(&qt);

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("main",
        "Documents with a live facepile of who is in them.\n\n"
        "By default presence lives in this app (an embedded server, also on loopback so a second "
        "presence-desktop on this machine joins the same documents). Use --server to join a team's "
        "presence-server instead, signed in at your organization's identity provider (--issuer) or "
        "with a --token. File > New window as another person (Ctrl+Shift+N) opens the same "
        "document as someone else."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption server({QStringLiteral("server")},
        QCoreApplication::translate(
            "main", "A presence-server URL, e.g. ws://presence.example.com:7390/ws. [env: PRESENCE_SERVER]"),
        QStringLiteral("url"));
    const QCommandLineOption token({QStringLiteral("token")},
        QCoreApplication::translate(
            "main", "The access token for --server (without it, you sign in). [env: PRESENCE_TOKEN]"),
        QStringLiteral("jwt"));
    const QCommandLineOption issuer({QStringLiteral("issuer")},
        QCoreApplication::translate("main",
            "The identity provider to sign in at, e.g. https://auth.example.com (default: the last one "
            "used). [env: PRESENCE_ISSUER]"),
        QStringLiteral("url"));
    const QCommandLineOption clientId({QStringLiteral("client-id")},
        QCoreApplication::translate("main",
            "This app's client id at the identity provider (default: the last one used, or "
            "presence-desktop). [env: PRESENCE_CLIENT_ID]"),
        QStringLiteral("id"));
    const QCommandLineOption database({QStringLiteral("database")},
        QCoreApplication::translate("main", "The embedded server's database (default: in the app's data directory)."),
        QStringLiteral("path"));
    const QCommandLineOption person({QStringLiteral("person")},
        QCoreApplication::translate("main", "Which demo person the first window is (0-3)."), QStringLiteral("n"));
    parser.addOptions({server, token, issuer, clientId, database, person});
    parser.process(app);

    Presence::AppController::Options options;
    const QString url = parser.isSet(server) ? parser.value(server) : qEnvironmentVariable("PRESENCE_SERVER");
    options.server = QUrl(url);
    options.token = parser.isSet(token) ? parser.value(token) : qEnvironmentVariable("PRESENCE_TOKEN");
    options.issuer = QUrl(parser.isSet(issuer) ? parser.value(issuer) : qEnvironmentVariable("PRESENCE_ISSUER"));
    options.clientId = parser.isSet(clientId) ? parser.value(clientId) : qEnvironmentVariable("PRESENCE_CLIENT_ID");
    options.database = parser.value(database);
    options.person = parser.isSet(person) ? parser.value(person).toInt() : -1;

    Presence::AppController controller(options);
    QString error;
    if (!controller.start(&error)) {
        qCritical("presence-desktop: %s", qPrintable(error));
        return 1;
    }
    if (qEnvironmentVariableIntValue("PRESENCE_DESKTOP_AUTOMATION"))
        controller.enableAutomation();
    controller.enableTray();

    QQuickStyle::setStyle(QStringLiteral("Fusion"));
    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/"));
    // Run from the build tree: the Presence module sits there, not yet in Qt's import path.
    // An installed binary uses the installed module only.
    if (QCoreApplication::applicationDirPath().startsWith(QStringLiteral(PRESENCE_BUILD_DIR)))
        engine.addImportPath(QStringLiteral(PRESENCE_BUILD_DIR "/qml"));
    engine.setInitialProperties({{QStringLiteral("app"), QVariant::fromValue(&controller)}});
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(1); },
        Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/PresenceDesktop/Main.qml")));
    return app.exec();
}
