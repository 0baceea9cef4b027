// Runs the tst_*.qml files of this directory against the Presence QML module, with an
// application-wide default client on an embedded server (what an app sets up in C++).
#include "client.h"
#include "embeddedserver.h"

#include <QDir>
#include <QQmlContext>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QtMath>
#include <QtQuickTest>

// An item's picture at the screen's real density. TestCase.grabImage crops a high-density
// window's picture to the item's size in logical pixels (Qt 6.4): at QT_SCALE_FACTOR=2 it
// gave the top-left quarter.
class Camera : public QObject
{
    Q_OBJECT

public:
    /// Takes the item's picture; saves it to path unless empty.
    Q_INVOKABLE bool shoot(QQuickItem *item, const QString &path)
    {
        if (!item || !item->window())
            return false;
        const QImage window = item->window()->grabWindow();
        m_ratio = item->window()->effectiveDevicePixelRatio();
        const QRectF area = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
        m_picture = window.copy(QRectF(area.topLeft() * m_ratio, area.size() * m_ratio).toAlignedRect());
        m_picture.setDevicePixelRatio(1);
        return path.isEmpty() || m_picture.save(path);
    }
    /// The colour at (x, y) in the shot item's coordinates.
    Q_INVOKABLE QColor pixel(qreal x, qreal y) const
    {
        const QPoint at(qFloor(x * m_ratio), qFloor(y * m_ratio));
        return m_picture.valid(at) ? m_picture.pixelColor(at) : QColor();
    }
    Q_INVOKABLE int width() const { return m_picture.width(); }
    Q_INVOKABLE qreal ratio() const { return m_ratio; }

private:
    QImage m_picture;
    qreal m_ratio = 1;
};

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
        engine->rootContext()->setContextProperty(QStringLiteral("camera"), &m_camera);
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
    Camera m_camera;
};

QUICK_TEST_MAIN_WITH_SETUP(presence, Setup)

#include "main.moc"
