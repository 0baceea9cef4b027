// presence-desktop end to end, as a person would use it: a real X server (Xvfb) with a
// window manager, the real app, its real keyboard shortcut, a real minimise. The facepiles
// are read through the app's automation hook; screenshots go to the build directory (and,
// with PRESENCE_UPDATE_SCREENSHOTS=1, to docs/images for the README).
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include "desktopservices.h"

#ifdef PRESENCE_HAVE_SERVER
#include "oidcproviderprocess.h"
#include "serverprocess.h"
#endif

namespace {

bool run(const QString &program, const QStringList &arguments, const QProcessEnvironment &environment,
    QByteArray *output = nullptr)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    if (!process.waitForFinished(15000) || process.exitCode() != 0) {
        qWarning() << program << arguments << process.readAllStandardError();
        return false;
    }
    if (output)
        *output = process.readAllStandardOutput();
    return true;
}

} // namespace

class DesktopTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir;
    QProcess xvfb;
    QProcess windowManager;
    QProcess app;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QString display;

    /// Sends an automation command and returns the windows it reports.
    QJsonArray command(const QByteArray &line) { return commandTo(app, line); }
    /// Sends an automation command to the app `process` and returns the windows it reports.
    static QJsonArray commandTo(QProcess &process, const QByteArray &line)
    {
        process.readAllStandardOutput();
        process.write(line + '\n');
        QByteArray answer;
        QElapsedTimer timer;
        timer.start();
        // The event loop runs meanwhile: the app may be waiting on a D-Bus service of this test's.
        while (!answer.contains('\n') && timer.elapsed() < 10000) {
            QTest::qWait(10);
            answer += process.readAllStandardOutput();
        }
        return QJsonDocument::fromJson(answer.left(answer.indexOf('\n'))).array();
    }
    /// Polls the app `process` until its one window is Alice Liddell's, online in the first
    /// document and in "Online now"; returns that window (empty if it never was).
    static QJsonObject waitForAlice(QProcess &process)
    {
        QJsonArray windows;
        const bool shown = QTest::qWaitFor(
            [&] {
                windows = commandTo(process, "state");
                const QJsonObject first = windows.at(0).toObject();
                return windows.size() == 1 && onlineIn(windows, 0) == 1
                    && first.value(QLatin1String("title")).toString().endsWith(QLatin1String("Alice Liddell"))
                    && first.value(QLatin1String("onlineNow")).toArray() == QJsonArray {QStringLiteral("alice")};
            },
            20000);
        if (!shown) {
            qWarning().noquote() << QJsonDocument(windows).toJson() << process.readAllStandardError();
            return {};
        }
        return windows.at(0).toObject();
    }
    /// Polls `state` until `check` holds for the first window's members.
    bool waitFor(const std::function<bool(const QJsonArray &windows)> &check, int timeoutMs = 10000)
    {
        QJsonArray windows;
        if (QTest::qWaitFor(
                [&] {
                    windows = command("state");
                    return check(windows);
                },
                timeoutMs)) {
            return true;
        }
        qWarning().noquote() << QJsonDocument(windows).toJson();
        return false;
    }
    static int onlineIn(const QJsonArray &windows, int window)
    {
        int online = 0;
        for (const QJsonValue &m : windows.at(window).toObject().value(QLatin1String("members")).toArray())
            online += m.toObject().value(QLatin1String("online")).toBool();
        return online;
    }
    static int membersIn(const QJsonArray &windows, int window)
    {
        return int(windows.at(window).toObject().value(QLatin1String("members")).toArray().size());
    }
    /// The whole screen, or one window (its X id) as the window manager frames it.
    void screenshot(const QString &name, const QString &window = QStringLiteral("root"))
    {
        const QString file = QStringLiteral(PRESENCE_SCREENSHOT_DIR "/%1.png").arg(name);
        QDir().mkpath(QStringLiteral(PRESENCE_SCREENSHOT_DIR));
        QStringList arguments {QStringLiteral("-window"), window};
        if (window != QLatin1String("root"))
            arguments << QStringLiteral("-frame");
        QVERIFY(run(QStringLiteral("/usr/bin/import"), arguments << file, environment));
        // The screen is larger than the windows: keep the windows, drop the empty desktop.
        if (window == QLatin1String("root"))
            QVERIFY(run(QStringLiteral("/usr/bin/convert"),
                {file, QStringLiteral("-trim"), QStringLiteral("+repage"), file}, environment));
        qInfo() << "screenshot:" << file;
        if (qEnvironmentVariableIntValue("PRESENCE_UPDATE_SCREENSHOTS")) {
            const QString docs = QStringLiteral(PRESENCE_SOURCE_DIR "/docs/images/%1.png").arg(name);
            QFile::remove(docs);
            QFile::copy(file, docs);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("Xvfb")).isEmpty())
            QSKIP("Xvfb is not installed (scripts/bootstrap installs it)");
        QVERIFY(dir.isValid());
        // A display number of our own: -displayfd tells us which one Xvfb took.
        xvfb.start(QStringLiteral("Xvfb"),
            {QStringLiteral("-displayfd"), QStringLiteral("1"), QStringLiteral("-screen"), QStringLiteral("0"),
                QStringLiteral("2400x1500x24"), QStringLiteral("-nolisten"), QStringLiteral("tcp")});
        QVERIFY(xvfb.waitForReadyRead(10000));
        display = QLatin1Char(':') + QString::fromLatin1(xvfb.readAllStandardOutput().trimmed());
        environment.insert(QStringLiteral("DISPLAY"), display);
        environment.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
        environment.insert(QStringLiteral("XDG_CACHE_HOME"), dir.filePath(QStringLiteral("cache")));
        environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), dir.path());
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        environment.insert(QStringLiteral("PRESENCE_DESKTOP_AUTOMATION"), QStringLiteral("1"));
        // A HiDPI screen: the avatars must stay crisp, and the README's pictures legible.
        environment.insert(QStringLiteral("QT_SCALE_FACTOR"), QStringLiteral("1.5"));
        windowManager.setProcessEnvironment(environment);
        windowManager.start(QStringLiteral("openbox"), {});
        QVERIFY(windowManager.waitForStarted());
        QTest::qWait(500);

        app.setProcessEnvironment(environment);
        app.start(QStringLiteral(PRESENCE_DESKTOP), {});
        QVERIFY(app.waitForStarted());
    }

    void cleanupTestCase()
    {
        if (app.state() == QProcess::Running) {
            app.write("quit\n");
            if (!app.waitForFinished(5000))
                app.kill();
        }
        windowManager.kill();
        windowManager.waitForFinished();
        xvfb.terminate();
        xvfb.waitForFinished();
    }

    void firstWindowShowsItsUser()
    {
        QVERIFY(waitFor([](const QJsonArray &w) { return w.size() == 1 && onlineIn(w, 0) == 1; }));
        QTest::qWait(500); // let the avatar images and the transitions finish
        screenshot(QStringLiteral("desktop-one-window"),
            command("state").at(0).toObject().value(QLatin1String("windowId")).toString());
    }

    void secondWindowAsAnotherPerson()
    {
        // The real shortcut, typed into the focused first window.
        QByteArray windowId;
        QVERIFY(run(QStringLiteral("xdotool"),
            {QStringLiteral("search"), QStringLiteral("--sync"), QStringLiteral("--name"),
                QStringLiteral("Ada Lovelace")},
            environment, &windowId));
        windowId = windowId.split('\n').value(0);
        QVERIFY(run(QStringLiteral("xdotool"),
            {QStringLiteral("windowactivate"), QStringLiteral("--sync"), QString::fromLatin1(windowId)}, environment));
        QVERIFY(run(QStringLiteral("xdotool"),
            {QStringLiteral("key"), QStringLiteral("--clearmodifiers"), QStringLiteral("ctrl+shift+n")}, environment));
        QVERIFY(waitFor([](const QJsonArray &w) {
            return w.size() == 2 && membersIn(w, 0) == 2 && onlineIn(w, 0) == 2 && onlineIn(w, 1) == 2;
        }));
        QTest::qWait(600);
        screenshot(QStringLiteral("desktop-two-people"));
    }

    void minimisedPersonGoesOfflineAndComesBack()
    {
        const QJsonArray windows = command("state");
        const QString second = windows.at(1).toObject().value(QLatin1String("windowId")).toString();
        QVERIFY(!second.isEmpty());
        QVERIFY(run(QStringLiteral("xdotool"), {QStringLiteral("windowminimize"), QStringLiteral("--sync"), second},
            environment));
        QVERIFY(waitFor([](const QJsonArray &w) { return membersIn(w, 0) == 2 && onlineIn(w, 0) == 1; }));
        QTest::qWait(600); // the dimming animation
        screenshot(QStringLiteral("desktop-one-minimised"),
            command("state").at(0).toObject().value(QLatin1String("windowId")).toString());

        QVERIFY(run(QStringLiteral("xdotool"), {QStringLiteral("windowactivate"), QStringLiteral("--sync"), second},
            environment));
        QVERIFY(waitFor([](const QJsonArray &w) { return onlineIn(w, 0) == 2; }));
    }

    void statusDocumentsAndOnlineNow()
    {
        // The second person types a status: the first window's facepile has it for them.
        command("status 1 Reviewing the budget");
        QVERIFY(waitFor([](const QJsonArray &w) {
            for (const QJsonValue &m : w.at(0).toObject().value(QLatin1String("members")).toArray()) {
                if (m.toObject().value(QLatin1String("status")).toString() == QLatin1String("Reviewing the budget"))
                    return true;
            }
            return false;
        }));
        // The document list shows who is in each document, without joining any.
        const auto document = [](const QJsonArray &w, int window, const char *roomId) {
            return w.at(window)
                .toObject()
                .value(QLatin1String("documents"))
                .toObject()
                .value(QLatin1String(roomId))
                .toObject();
        };
        QVERIFY(waitFor([&](const QJsonArray &w) {
            return document(w, 0, "doc-1").value(QLatin1String("online")).toInt() == 2
                && document(w, 0, "doc-2").value(QLatin1String("total")).toInt() == 0;
        }));
        command("open 1 2"); // the second person moves to the third document
        QVERIFY(waitFor([&](const QJsonArray &w) {
            return document(w, 0, "doc-1").value(QLatin1String("online")).toInt() == 1
                && document(w, 0, "doc-3").value(QLatin1String("online")).toInt() == 1;
        }));
        QCOMPARE(membersIn(command("state"), 0), 2); // the peeks joined nothing
        // "Online now": both people, within the panel's refresh.
        QVERIFY(waitFor([](const QJsonArray &w) {
            return w.at(0).toObject().value(QLatin1String("onlineNow")).toArray().size() == 2;
        }));
        command("status 0 Writing the roadmap");
        const QString first = command("state").at(0).toObject().value(QLatin1String("windowId")).toString();
        QVERIFY(run(QStringLiteral("xdotool"), {QStringLiteral("windowactivate"), QStringLiteral("--sync"), first},
            environment)); // in front of the second window
        QTest::qWait(800);
        screenshot(QStringLiteral("desktop-documents-and-online"), first);
    }

    void onATeamServerTheWindowIsTheTokensUser()
    {
#ifndef PRESENCE_HAVE_SERVER
        QSKIP("built without presence-server");
#else
        // A second app, on a real presence-server, with a token of Alice's: the title, "you"
        // and the facepile are all Alice, not a demo person.
        const QString secret = dir.filePath(QStringLiteral("team.secret"));
        QFile file(secret);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(48, 's'));
        file.close();
        ServerProcess server;
        QVERIFY2(server.start(dir.filePath(QStringLiteral("team.db")), {QStringLiteral("--hs256-secret-file"), secret}),
            server.errors().constData());
        QByteArray token;
        QVERIFY(run(ServerProcess::binary(),
            {QStringLiteral("mint-token"), QStringLiteral("--secret-file"), secret, QStringLiteral("--user"),
                QStringLiteral("alice"), QStringLiteral("--org"), QStringLiteral("team"), QStringLiteral("--name"),
                QStringLiteral("Alice Liddell")},
            environment, &token));
        QProcess remote;
        QProcessEnvironment remoteEnvironment = environment;
        remoteEnvironment.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("remote-data")));
        remote.setProcessEnvironment(remoteEnvironment);
        remote.start(QStringLiteral(PRESENCE_DESKTOP),
            {QStringLiteral("--server"), server.url().toString(), QStringLiteral("--token"),
                QString::fromLatin1(token.trimmed())});
        QVERIFY(remote.waitForStarted());
        const QJsonObject window = waitForAlice(remote);
        QVERIFY(!window.isEmpty());
        QCOMPARE(window.value(QLatin1String("title")).toString(), QStringLiteral("Roadmap 2027 — Alice Liddell"));
        QCOMPARE(window.value(QLatin1String("person")).toString(), QStringLiteral("alice"));
        QCOMPARE(window.value(QLatin1String("members")).toArray().at(0).toObject().value(QLatin1String("userId")),
            QStringLiteral("alice"));
        const QString windowId = window.value(QLatin1String("windowId")).toString();
        QVERIFY(run(QStringLiteral("xdotool"), {QStringLiteral("windowactivate"), QStringLiteral("--sync"), windowId},
            environment)); // in front of the first app's windows
        QTest::qWait(800);
        screenshot(QStringLiteral("desktop-team-server"), windowId);
        remote.write("quit\n");
        if (!remote.waitForFinished(5000))
            remote.kill();
        QCOMPARE(server.terminate(), 0);
#endif
    }

    void signingInAtTheIdentityProviderInTheBrowser()
    {
#ifndef PRESENCE_HAVE_SERVER
        QSKIP("built without presence-server");
#else
        // The app on a team's server without a token: it signs in at a real OpenID Connect
        // provider in "the browser" (a script that follows the redirects), and presence-server
        // takes the provider's tokens by its JWKS URL.
        if (!OidcProviderProcess::isInstalled())
            QSKIP("tests/auth/jwks-provider has no node_modules: scripts/bootstrap installs them");
        OidcProviderProcess provider;
        QVERIFY(provider.start());
        QCOMPARE(
            provider.command(R"(claims {"sub":"alice","name":"Alice Liddell","org_id":"team"})"), QByteArray("ok"));
        ServerProcess server;
        QVERIFY2(server.start(dir.filePath(QStringLiteral("signin.db")),
                     {QStringLiteral("--jwks-url"), provider.jwksUrl(), QStringLiteral("--issuer"), provider.issuer()}),
            server.errors().constData());
        QProcess remote;
        QProcessEnvironment remoteEnvironment = environment;
        remoteEnvironment.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("signin-data")));
        remoteEnvironment.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("signin-config")));
        remoteEnvironment.insert(QStringLiteral("BROWSER"), QStringLiteral(PRESENCE_SOURCE_DIR "/tests/e2e/browser"));
        remote.setProcessEnvironment(remoteEnvironment);
        remote.start(QStringLiteral(PRESENCE_DESKTOP),
            {QStringLiteral("--server"), server.url().toString(), QStringLiteral("--issuer"), provider.issuer(),
                QStringLiteral("--client-id"), QStringLiteral("presence-desktop")});
        QVERIFY(remote.waitForStarted());
        const QJsonObject window = waitForAlice(remote);
        QVERIFY(!window.isEmpty());
        QCOMPARE(window.value(QLatin1String("signIn")).toString(), QStringLiteral("signedIn"));
        QCOMPARE(window.value(QLatin1String("signInDialog")).toBool(), false);
        QCOMPARE(window.value(QLatin1String("person")).toString(), QStringLiteral("alice"));

        // Signing out leaves the document, and asks who is next.
        const QJsonArray after = commandTo(remote, "sign-out");
        QCOMPARE(after.at(0).toObject().value(QLatin1String("signIn")).toString(), QStringLiteral("signedOut"));
        QJsonArray windows;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         windows = commandTo(remote, "state");
                         return membersIn(windows, 0) == 0
                             && windows.at(0).toObject().value(QLatin1String("signInDialog")).toBool();
                     },
                     10000),
            QJsonDocument(windows).toJson().constData());
        // Nothing left of Alice on screen: no facepile, nobody online, not "Connected".
        const QJsonObject out = windows.at(0).toObject();
        QCOMPARE(out.value(QLatin1String("onlineNow")).toArray(), QJsonArray());
        const QJsonArray texts = out.value(QLatin1String("texts")).toArray();
        QVERIFY2(texts.contains(QStringLiteral("Not signed in")), QJsonDocument(texts).toJson().constData());
        QVERIFY(texts.contains(QStringLiteral("Sign in to see who is online")));
        for (const QJsonValue &text : texts)
            QVERIFY2(!text.toString().startsWith(QLatin1String("Connected to")), qPrintable(text.toString()));
        const QString windowId = window.value(QLatin1String("windowId")).toString();
        QVERIFY(run(QStringLiteral("xdotool"), {QStringLiteral("windowactivate"), QStringLiteral("--sync"), windowId},
            environment));
        QTest::qWait(800);
        screenshot(QStringLiteral("desktop-sign-in"), windowId);
        remote.write("quit\n");
        if (!remote.waitForFinished(5000))
            remote.kill();
        QCOMPARE(server.terminate(), 0);
#endif
    }

    void inGermanTheAppSpeaksGerman()
    {
        // A second app for a user whose language is German: its own words, the facepile's and
        // the sign-in's are German. It joins the first app's documents on this machine.
        QProcess german;
        QProcessEnvironment germanEnvironment = environment;
        germanEnvironment.insert(QStringLiteral("LANG"), QStringLiteral("de_DE.UTF-8"));
        germanEnvironment.insert(QStringLiteral("LANGUAGE"), QStringLiteral("de"));
        germanEnvironment.remove(QStringLiteral("LC_ALL"));
        germanEnvironment.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("german-data")));
        german.setProcessEnvironment(germanEnvironment);
        german.start(QStringLiteral(PRESENCE_DESKTOP), {QStringLiteral("--person"), QStringLiteral("2")});
        QVERIFY(german.waitForStarted());
        const auto stop = qScopeGuard([&] {
            german.write("quit\n");
            if (!german.waitForFinished(5000))
                german.kill();
        });
        QJsonObject window;
        const auto has
            = [&](const QString &text) { return window.value(QLatin1String("texts")).toArray().contains(text); };
        const bool shown = QTest::qWaitFor(
            [&] {
                window = commandTo(german, "state").at(0).toObject();
                return has(QStringLiteral("Dokumente")) && onlineIn(QJsonArray {window}, 0) >= 1;
            },
            20000);
        QVERIFY2(shown, QJsonDocument(window).toJson().constData());
        QVERIFY(has(QStringLiteral("Dokumente")));
        QVERIFY(has(QStringLiteral("Status setzen…")));
        QVERIFY(has(QStringLiteral("Schreiben Sie etwas…")));
        const QJsonArray texts = window.value(QLatin1String("texts")).toArray();
        const auto startsWith = [&](const QString &prefix) {
            return std::any_of(
                texts.begin(), texts.end(), [&](const QJsonValue &text) { return text.toString().startsWith(prefix); });
        };
        QVERIFY(startsWith(QStringLiteral("Jetzt online")));
        // Where presence lives, said in German.
        QVERIFY2(startsWith(QStringLiteral("Mit presence-desktop auf diesem Rechner verbunden"))
                || startsWith(QStringLiteral("Eingebetteter Server")),
            QJsonDocument(texts).toJson().constData());
        // No English left among the app's own words.
        for (const QString &english :
            {QStringLiteral("Documents"), QStringLiteral("Set a status…"), QStringLiteral("Write something…")})
            QVERIFY2(!has(english), qPrintable(english));
        QTest::qWait(500);
        screenshot(QStringLiteral("desktop-german"), window.value(QLatin1String("windowId")).toString());
    }

    void notificationsReachTheDesktopsNotificationService()
    {
        // A desktop of the test's: a private session bus with a tray host and a notification
        // service. The app puts its icon in the tray, and tells who opened its document only
        // once the user asked for it.
        if (QStandardPaths::findExecutable(QStringLiteral("dbus-daemon")).isEmpty())
            QSKIP("dbus-daemon is not installed (scripts/bootstrap installs it)");
        QProcess bus;
        bus.start(QStringLiteral("dbus-daemon"),
            {QStringLiteral("--session"), QStringLiteral("--nofork"), QStringLiteral("--print-address=1")});
        QVERIFY(bus.waitForReadyRead(10000));
        const QString address = QString::fromLatin1(bus.readLine().trimmed());
        const auto stopBus = qScopeGuard([&] {
            bus.terminate();
            bus.waitForFinished();
        });
        DesktopServices desktop(address);
        QVERIFY(desktop.isRegistered());

        QProcess notifying;
        QProcessEnvironment notifyingEnvironment = environment;
        notifyingEnvironment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), address);
        notifyingEnvironment.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("notify-data")));
        notifyingEnvironment.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("notify-config")));
        notifying.setProcessEnvironment(notifyingEnvironment);
        notifying.start(QStringLiteral(PRESENCE_DESKTOP),
            {QStringLiteral("--person"), QStringLiteral("0"), QStringLiteral("--database"),
                dir.filePath(QStringLiteral("notify.db"))});
        QVERIFY(notifying.waitForStarted());
        const auto stop = qScopeGuard([&] {
            notifying.write("quit\n");
            if (!notifying.waitForFinished(5000))
                notifying.kill();
        });
        const auto online = [&](int windows, int people) {
            return QTest::qWaitFor(
                [&] {
                    const QJsonArray state = commandTo(notifying, "state");
                    return state.size() == windows && onlineIn(state, 0) == people;
                },
                20000);
        };
        QVERIFY(online(1, 1));
        // In the tray, saying who is online.
        QTRY_COMPARE_WITH_TIMEOUT(desktop.watcher.items().size(), 1, 10000);
        QJsonObject first = commandTo(notifying, "state").at(0).toObject();
        QVERIFY(!first.value(QLatin1String("notifications")).toBool()); // off by default
        QTRY_VERIFY_WITH_TIMEOUT(commandTo(notifying, "state")
                                     .at(0)
                                     .toObject()
                                     .value(QLatin1String("tray"))
                                     .toString()
                                     .contains(QStringLiteral("Ada Lovelace")),
            10000);

        // Grace opens the document: nothing, the user has not asked.
        commandTo(notifying, "new-window");
        QVERIFY(online(2, 2));
        QTest::qWait(1000);
        QCOMPARE(desktop.notifications.summaries(), QStringList());

        // Asked: Alan opening it is told once, though two windows watch the document.
        commandTo(notifying, "notifications on");
        commandTo(notifying, "new-window");
        QVERIFY(online(3, 3));
        QTRY_COMPARE_WITH_TIMEOUT(
            desktop.notifications.summaries(), QStringList {QStringLiteral("Alan Turing opened Roadmap 2027")}, 10000);
        QTest::qWait(1000);
        QCOMPARE(desktop.notifications.summaries().size(), 1);
        first = commandTo(notifying, "state").at(0).toObject();
        QCOMPARE(first.value(QLatin1String("notified")).toArray(),
            QJsonArray {QStringLiteral("Alan Turing opened Roadmap 2027")});
    }
};

QTEST_GUILESS_MAIN(DesktopTest)
#include "tst_desktop.moc"
