// Runs the tst_*.qml files of this directory against the Presence QML module, with an
// application-wide default client on an embedded server (what an app sets up in C++).
#include "client.h"
#include "embeddedserver.h"

#include <QDir>
#include <QQmlContext>
#include <QQmlEngine>
#include <QTemporaryDir>
#include <QtQuickTest>

class Setup : public QObject
{
    Q_OBJECT

public Q_SLOTS:
    void applicationAvailable()
    {
        m_server.open(m_dir.filePath(QStringLiteral("qml-tests.db")));
        m_client.setEmbeddedServer(
            &m_server, QStringLiteral("qml_user"), QStringLiteral("qml_org"), QStringLiteral("Quinn Muller"));
        Presence::Client::setDefaultClient(&m_client);
    }
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        // Where tst_screenshot.qml saves its picture (and, to refresh the README's, docs/images).
        QDir().mkpath(QStringLiteral(PRESENCE_SCREENSHOT_DIR));
        engine->rootContext()->setContextProperty(
            QStringLiteral("screenshotDir"), QStringLiteral(PRESENCE_SCREENSHOT_DIR));
        engine->rootContext()->setContextProperty(QStringLiteral("docsImageDir"),
            qEnvironmentVariableIntValue("PRESENCE_UPDATE_SCREENSHOTS")
                ? QStringLiteral(PRESENCE_SOURCE_DIR "/docs/images")
                : QString());
    }

private:
    QTemporaryDir m_dir;
    Presence::EmbeddedServer m_server;
    Presence::Client m_client;
};

QUICK_TEST_MAIN_WITH_SETUP(presence, Setup)

#include "main.moc"
