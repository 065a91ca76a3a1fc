/// The dashboard's Mustache templates, compiled into the binary so `vpnaasd` needs nothing beside it.
/// `{{x}}` escapes HTML; the only raw insertions (`{{{…}}}`) are HTML the dashboard rendered itself.
enum Templates {
    static let all: [String: String] = [
        "layout": layout, "login": login, "list": list, "detail": detail, "form": form, "fields": fields,
        "error": error, "overview": overview, "wizard": wizard, "wizard-done": wizardDone, "router-extras": routerExtras,
        "connection-extras": connectionExtras,
    ]

    static let layout = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · vpnaasd</title>
        <link rel="stylesheet" href="/dashboard/static/app.css">
        <script src="/dashboard/static/app.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        {{#session}}
        <header class="top">
          <a class="brand" href="/dashboard/">vpnaasd</a>
          <nav aria-label="Main">
            <ul>
              {{#nav}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/nav}}
            </ul>
          </nav>
          <div class="who">
            <form class="inline" method="post" action="/dashboard/project">
              <input type="hidden" name="csrf" value="{{csrf}}">
              <label for="project-switch">Project</label>
              <select id="project-switch" name="project_id" data-autosubmit>
                {{#projects}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/projects}}
              </select>
              <button type="submit" class="js-hide">Switch</button>
            </form>
            <span class="user" title="{{userName}}">{{userName}}{{#isAdmin}} · admin{{/isAdmin}}</span>
            <form class="inline" method="post" action="/dashboard/logout">
              <input type="hidden" name="csrf" value="{{csrf}}">
              <button type="submit">Log out</button>
            </form>
          </div>
        </header>
        {{/session}}
        <main id="main" tabindex="-1">
        {{#flash}}<p class="flash" role="status">{{flash}}</p>{{/flash}}
        {{{content}}}
        </main>
        </body>
        </html>
        """#

    static let login = #"""
        <section class="login">
          <h1>Log in to vpnaasd</h1>
          {{#message}}<p class="notice" role="alert">{{message}}</p>{{/message}}
          <form method="post" action="/dashboard/login">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <div class="field"><label for="user">User name</label><input id="user" name="user" autocomplete="username" required value="{{user}}" autofocus></div>
            <div class="field"><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></div>
            <div class="field"><label for="project">Project</label><input id="project" name="project" value="{{project}}" aria-describedby="project-hint"><small id="project-hint">empty: your default project</small></div>
            <p class="hint">Domain: Default</p>
            <button type="submit" class="primary">Log in</button>
          </form>
        </section>
        """#

    static let list = #"""
        <div class="head">
          <h1>{{title}}</h1>
          <a class="button primary" href="/dashboard/{{slug}}/new">Create {{singular}}</a>
        </div>
        {{^hasRows}}<p class="empty">No {{title}} yet.</p>{{/hasRows}}
        {{#hasRows}}
        <div class="scroll">
        <table>
          <thead><tr>{{#columns}}<th scope="col">{{label}}</th>{{/columns}}{{#showProject}}<th scope="col">Project</th>{{/showProject}}</tr></thead>
          <tbody>
          {{#rows}}
            <tr data-id="{{id}}">
              <td class="name"><a href="/dashboard/{{slug}}/{{id}}">{{label}}</a></td>
              {{#cells}}<td{{#status}} class="status" data-status="{{status}}"{{/status}}>{{text}}</td>{{/cells}}
              {{#showProject}}<td class="mono">{{project}}</td>{{/showProject}}
            </tr>
          {{/rows}}
          </tbody>
        </table>
        </div>
        {{/hasRows}}
        """#

    static let detail = #"""
        <div class="head">
          <h1><span class="kind">{{singular}}</span> {{label}}</h1>
          <div class="actions">
            <a class="button" href="/dashboard/{{slug}}/{{id}}/edit">Edit</a>
            <form class="inline" method="post" action="/dashboard/{{slug}}/{{id}}/delete" data-confirm="Delete {{singular}} {{label}}?">
              <input type="hidden" name="csrf" value="{{csrf}}">
              <button type="submit" class="danger">Delete</button>
            </form>
          </div>
        </div>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{#hasUsers}}<div class="users"><p>It is used by:</p><ul>{{#usedBy}}<li>{{kind}} <a href="{{href}}">{{label}}</a></li>{{/usedBy}}</ul></div>{{/hasUsers}}
        {{{extras}}}
        <h2>Attributes</h2>
        <dl class="attributes">
          {{#attributes}}<dt>{{key}}</dt><dd class="mono">{{#link}}<a href="{{link}}">{{value}}</a>{{/link}}{{^link}}{{value}}{{/link}}</dd>{{/attributes}}
        </dl>
        <p><a href="/dashboard/{{slug}}">← All {{title}}</a></p>
        """#

    static let form = #"""
        <h1>{{heading}}</h1>
        {{#error}}<p class="error" role="alert" id="form-error">{{error}}</p>{{/error}}
        <form method="post" action="{{action}}" class="resource" novalidate>
          <input type="hidden" name="csrf" value="{{csrf}}">
          {{> fields}}
          <div class="buttons"><button type="submit" class="primary">{{submit}}</button> <a href="{{cancel}}">Cancel</a></div>
        </form>
        """#

    static let fields = #"""
        {{#fields}}
        <div class="field{{#error}} invalid{{/error}}">
          {{#isFlag}}
            <input type="hidden" name="{{key}}.present" value="1">
            <input type="checkbox" id="{{inputID}}" name="{{key}}" value="true"{{#checked}} checked{{/checked}}{{#error}} aria-invalid="true" aria-describedby="{{inputID}}-error"{{/error}}>
            <label for="{{inputID}}" class="check">{{label}}</label>
          {{/isFlag}}
          {{^isFlag}}
            <label for="{{inputID}}">{{label}}{{#required}} <span aria-hidden="true">*</span>{{/required}}</label>
            {{#isSelect}}
              <select id="{{inputID}}" name="{{key}}"{{#multiple}} multiple{{/multiple}}{{#required}} required{{/required}}{{#describedBy}} aria-describedby="{{describedBy}}"{{/describedBy}}{{#error}} aria-invalid="true"{{/error}}>
                {{#blank}}<option value="">— none —</option>{{/blank}}
                {{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}
              </select>
            {{/isSelect}}
            {{#isTextarea}}<textarea id="{{inputID}}" name="{{key}}" rows="3"{{#describedBy}} aria-describedby="{{describedBy}}"{{/describedBy}}{{#error}} aria-invalid="true"{{/error}}>{{value}}</textarea>{{/isTextarea}}
            {{#isInput}}<input id="{{inputID}}" name="{{key}}" type="{{inputType}}" value="{{value}}"{{#required}} required{{/required}}{{#isSecret}} autocomplete="new-password"{{/isSecret}}{{#describedBy}} aria-describedby="{{describedBy}}"{{/describedBy}}{{#error}} aria-invalid="true"{{/error}}>{{/isInput}}
          {{/isFlag}}
          {{#hint}}<small id="{{inputID}}-hint">{{hint}}</small>{{/hint}}
          {{#error}}<p class="field-error" id="{{inputID}}-error" role="alert">{{error}}</p>{{/error}}
        </div>
        {{/fields}}
        """#

    static let error = #"""
        <section class="problem">
          <h1>{{heading}}</h1>
          <p class="error" role="alert">{{message}}</p>
          <p><a href="/dashboard/">Back to the overview</a></p>
        </section>
        """#

    static let overview = #"""
        <div class="head">
          <h1>Overview</h1>
          <a class="button primary" href="/dashboard/new-vpn">New site-to-site VPN</a>
        </div>
        <div data-live="/dashboard/overview.json">
        <section aria-labelledby="conn-h">
          <h2 id="conn-h">IPsec site connections <span class="count">{{connectionCount}}</span>{{#problemCount}} <span class="badge bad">{{problemCount}} not active</span>{{/problemCount}}</h2>
          {{^hasConnections}}<p class="empty">No connections yet: start with <a href="/dashboard/new-vpn">a new site-to-site VPN</a>.</p>{{/hasConnections}}
          {{#hasConnections}}
          <div class="scroll">
          <table>
            <thead><tr><th scope="col">Connection</th><th scope="col">Status</th><th scope="col">Peer</th><th scope="col">VPN service</th><th scope="col">In</th><th scope="col">Out</th><th scope="col">Established</th>{{#showProject}}<th scope="col">Project</th>{{/showProject}}</tr></thead>
            <tbody>
            {{#connections}}
              <tr data-id="{{id}}">
                <td class="name"><a href="/dashboard/ipsec-site-connections/{{id}}">{{name}}</a><div class="reason" data-field="reason">{{#reason}}{{reason}}{{/reason}}</div></td>
                <td class="status" data-status="{{status}}" data-field="status">{{status}}</td>
                <td class="mono">{{peer}}</td>
                <td>{{service}}</td>
                <td class="num" data-field="bytes_in" data-format="bytes">{{bytesIn}}</td>
                <td class="num" data-field="bytes_out" data-format="bytes">{{bytesOut}}</td>
                <td data-field="established_at" data-format="time">{{#established}}<time datetime="{{established}}">{{established}}</time>{{/established}}{{^established}}—{{/established}}</td>
                {{#showProject}}<td class="mono">{{project}}</td>{{/showProject}}
              </tr>
            {{/connections}}
            </tbody>
          </table>
          </div>
          {{/hasConnections}}
        </section>
        <section aria-labelledby="svc-h">
          <h2 id="svc-h">VPN services <span class="count">{{serviceCount}}</span></h2>
          {{^hasServices}}<p class="empty">No VPN services yet.</p>{{/hasServices}}
          {{#hasServices}}
          <div class="scroll">
          <table>
            <thead><tr><th scope="col">Service</th><th scope="col">Status</th><th scope="col">External IP</th><th scope="col">Router</th><th scope="col">Connections</th>{{#showProject}}<th scope="col">Project</th>{{/showProject}}</tr></thead>
            <tbody>
            {{#services}}
              <tr data-id="{{id}}">
                <td class="name"><a href="/dashboard/vpnservices/{{id}}">{{name}}</a></td>
                <td class="status" data-status="{{status}}" data-field="status">{{status}}</td>
                <td class="mono">{{externalIP}}</td>
                <td><a href="/dashboard/routers/{{routerID}}">{{router}}</a></td>
                <td class="num">{{connections}}</td>
                {{#showProject}}<td class="mono">{{project}}</td>{{/showProject}}
              </tr>
            {{/services}}
            </tbody>
          </table>
          </div>
          {{/hasServices}}
        </section>
        </div>
        """#

    static let wizard = #"""
        <h1>New site-to-site VPN</h1>
        <p class="lead">Does the user guide's steps at once: an IKE and an IPsec policy, a VPN service on your subnet's router, a local and a peer endpoint group, and the connection. Then shows the address to give the other side.</p>
        {{#error}}<p class="error" role="alert" id="form-error">{{error}}</p>{{/error}}
        <form method="post" action="/dashboard/new-vpn" class="resource" novalidate>
          <input type="hidden" name="csrf" value="{{csrf}}">
          <fieldset><legend>This side</legend>{{#local}}{{> fields}}{{/local}}</fieldset>
          <fieldset><legend>The other side</legend>{{#peer}}{{> fields}}{{/peer}}</fieldset>
          <details{{#policyError}} open{{/policyError}}><summary>Policies (the user guide's values)</summary>
            <fieldset><legend>IKE policy</legend>{{#ike}}{{> fields}}{{/ike}}</fieldset>
            <fieldset><legend>IPsec policy</legend>{{#ipsec}}{{> fields}}{{/ipsec}}</fieldset>
          </details>
          <div class="buttons"><button type="submit" class="primary">Create the VPN</button> <a href="/dashboard/">Cancel</a></div>
        </form>
        """#

    static let wizardDone = #"""
        <h1>VPN {{name}} created</h1>
        <section class="handoff" aria-labelledby="handoff-h">
          <h2 id="handoff-h">Give the other side this address</h2>
          {{#v4}}<p class="bigip mono" data-testid="external-v4">{{v4}}</p>{{/v4}}
          {{#v6}}<p class="bigip mono" data-testid="external-v6">{{v6}}</p>{{/v6}}
          {{^v4}}{{^v6}}<p class="error">The router has no external address yet.</p>{{/v6}}{{/v4}}
          <p>Their peer address and peer ID are this address; their peer CIDRs are <span class="mono">{{localCIDRs}}</span>; the pre-shared key is the one you typed.</p>
        </section>
        <ul>
          <li><a href="/dashboard/ipsec-site-connections/{{connectionID}}">Connection {{name}}-connection: live status</a></li>
          <li><a href="/dashboard/vpnservices/{{serviceID}}">VPN service {{name}}-vpn</a></li>
        </ul>
        """#

    static let routerExtras = #"""
        <section aria-labelledby="gw-h">
          <h2 id="gw-h">External gateway</h2>
          <p>{{#gateway}}On network <a href="/dashboard/networks/{{gatewayNetworkID}}">{{gateway}}</a>, address <span class="mono" data-testid="gateway-ips">{{gatewayIPs}}</span>{{/gateway}}{{^gateway}}None: the router cannot reach the other side.{{/gateway}}</p>
          <form class="inline" method="post" action="/dashboard/routers/{{id}}/gateway">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <label for="gw-net">External network</label>
            <select id="gw-net" name="network_id">{{#externalNetworks}}<option value="{{id}}">{{label}}</option>{{/externalNetworks}}</select>
            <button type="submit">Set gateway</button>
          </form>
          {{#gateway}}
          <form class="inline" method="post" action="/dashboard/routers/{{id}}/gateway/clear" data-confirm="Clear the gateway?">
            <input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="danger">Clear gateway</button>
          </form>
          {{/gateway}}
        </section>
        <section aria-labelledby="if-h">
          <h2 id="if-h">Interfaces</h2>
          {{^interfaces}}<p class="empty">No interfaces.</p>{{/interfaces}}
          <ul class="plain">
          {{#interfaces}}
            <li><a href="/dashboard/subnets/{{subnetID}}">{{subnet}}</a> <span class="mono">{{ip}}</span>
              <form class="inline" method="post" action="/dashboard/routers/{{routerID}}/interfaces/remove">
                <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="subnet_id" value="{{subnetID}}">
                <button type="submit" class="danger small" aria-label="Remove interface {{subnet}}">Remove</button>
              </form>
            </li>
          {{/interfaces}}
          </ul>
          {{#hasSubnets}}
          <form class="inline" method="post" action="/dashboard/routers/{{id}}/interfaces/add">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <label for="if-subnet">Subnet</label>
            <select id="if-subnet" name="subnet_id">{{#subnets}}<option value="{{id}}">{{label}}</option>{{/subnets}}</select>
            <button type="submit">Add interface</button>
          </form>
          {{/hasSubnets}}
          {{^hasSubnets}}<p class="hint">Every subnet of the project is attached. <a href="/dashboard/subnets/new">Create a subnet</a> to add another interface.</p>{{/hasSubnets}}
        </section>
        """#

    static let connectionExtras = #"""
        <section aria-labelledby="live-h" data-live="/dashboard/ipsec-site-connections/{{id}}/status.json">
          <h2 id="live-h">Live status <small class="hint" data-live-age>updates every few seconds</small></h2>
          <dl class="live" data-id="{{id}}">
            {{#status}}<dt>{{label}}</dt><dd class="mono{{#isStatus}} status{{/isStatus}}" data-field="{{key}}"{{#isStatus}} data-status="{{value}}"{{/isStatus}}{{#format}} data-format="{{format}}"{{/format}}>{{#isTime}}<time datetime="{{value}}">{{value}}</time>{{/isTime}}{{^isTime}}{{value}}{{/isTime}}</dd>{{/status}}
          </dl>
        </section>
        {{#hasEvents}}
        <section aria-labelledby="ev-h">
          <h2 id="ev-h">Events <small class="hint">newest first; reload for new ones</small></h2>
          {{^events}}<p class="empty">No events yet.</p>{{/events}}
          <ol class="events">{{#events}}<li data-event="{{type}}"><time datetime="{{at}}">{{at}}</time> {{text}}</li>{{/events}}</ol>
        </section>
        {{/hasEvents}}
        {{#hasPeerConfigs}}
        <section aria-labelledby="pc-h">
          <h2 id="pc-h">Peer configuration</h2>
          <ul class="plain">{{#peerConfigs}}<li><a href="{{href}}" download data-device="{{device}}">{{label}}</a></li>{{/peerConfigs}}</ul>
        </section>
        {{/hasPeerConfigs}}
        """#
}
