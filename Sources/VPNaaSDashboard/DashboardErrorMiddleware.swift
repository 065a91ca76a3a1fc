import Hummingbird
import Logging
import VPNaaSDomain

/// Errors on dashboard routes become pages, not Neutron JSON: redirects, 403/404 pages with the API's
/// message, and an ended session sends the user back to the login page with a reason.
struct DashboardErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let dashboard: Dashboard

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let redirect as DashboardRedirect {
            return DashboardHTTP.seeOther(redirect.location)
        } catch DashboardAuthError.sessionEnded {
            var response = DashboardHTTP.seeOther("/dashboard/login?reason=expired")
            response.setCookie(dashboard.sessionCookie("", maxAge: 0))
            return response
        } catch let problem as DashboardProblem {
            return await dashboard.problemPage(problem, request: request)
        } catch let error as VPNaaSError {
            let (status, _, message) = error.neutron
            let heading = status == 404 ? "Not found" : status == 403 ? "Not allowed" : "Request refused"
            return await dashboard.problemPage(
                DashboardProblem(status: .init(code: status), heading: heading, message: message), request: request)
        } catch let error as HTTPError where error.status == .notFound {
            return await dashboard.problemPage(
                DashboardProblem(status: .notFound, heading: "Not found", message: "There is no such page."), request: request)
        } catch {
            context.logger.error("dashboard request failed", metadata: ["error": "\(String(reflecting: error))", "http.path": "\(request.uri.path)"])
            return await dashboard.problemPage(
                DashboardProblem(status: .internalServerError, heading: "Something went wrong", message: "The server could not complete this request."),
                request: request)
        }
    }
}
